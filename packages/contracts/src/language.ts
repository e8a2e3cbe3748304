import { z } from 'zod';

/**
 * The languages of every customer-facing text (notices, reasons, predictions, documents):
 * German first, as the default. The one list; everything else derives from it.
 */
export const LANGUAGES = ['de', 'en'] as const;

export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const DEFAULT_LANGUAGE: Language = 'de';
