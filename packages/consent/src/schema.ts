import { DpvState, Level } from '@vitrine/contracts';
import { z } from 'zod';

// The wire shapes of consent (records, notice references, DPV states) live in contracts; the
// package keeps its names for them.
export { ConsentEventType, ConsentRecord, DpvState, NoticeRef } from '@vitrine/contracts';

/** A subject's current consent, as the flows store it beside the subject. */
export const ConsentState = z.object({
  subjectId: z.string().min(1),
  level: Level,
  /** Purpose id → granted. Lists every purpose offered when the choice was made (missing = never asked). */
  purposes: z.record(z.string(), z.boolean()),
  /** Notice version of the last choice (0 = never asked). */
  noticeVersion: z.number().int().nonnegative(),
  /** A Sec-GPC / globalPrivacyControl signal was seen (O1); sticky once seen. */
  gpc: z.boolean(),
  /** R6 restriction: data kept, personalization and collection stopped. */
  paused: z.boolean(),
  dpvState: DpvState,
  /** Epoch ms after which the consent has expired; null when nothing is granted. */
  validUntil: z.number().int().nullable(),
  /** Per granted purpose, the scope hash it was granted under (C11: a changed scope is not consented). */
  purposeScopes: z.record(z.string(), z.string()),
});
export type ConsentState = z.infer<typeof ConsentState>;
