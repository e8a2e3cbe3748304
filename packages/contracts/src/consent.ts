import { z } from 'zod';
import { ownRecord } from './keys';

export const Language = z.enum(['de', 'en']);
export type Language = z.infer<typeof Language>;

export const Level = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
  error: 'level must be 0 (Neutral), 1 (this visit), 2 (my history) or 3 (predictions)',
});
export type Level = z.infer<typeof Level>;

export const ConsentMethod = z.enum(['accept', 'reject', 'save', 'gpc', 'api']);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

export const ConsentUpdateRequest = z.object({
  level: Level,
  /**
   * Per-purpose switches beside the dial, e.g. `{"email_offers": true}`. Purposes not named keep
   * the level's default. A built-in name (`__proto__`, `constructor`, …) is refused with its
   * path: no policy can declare one, and a lookup would find the inherited member instead.
   */
  purposes: ownRecord(z.string().min(1).max(64), z.boolean(), { inherited: true }).default({}),
  language: Language.default('de'),
  /** The notice version the customer saw; must be the current one. */
  notice_version: z.number().int().positive(),
  method: ConsentMethod.exclude(['gpc']).default('save'),
  /** Set when the customer chose a level above 1 after being shown the GPC conflict (O1). */
  override_gpc: z.boolean().default(false),
});
export type ConsentUpdateRequest = z.infer<typeof ConsentUpdateRequest>;
