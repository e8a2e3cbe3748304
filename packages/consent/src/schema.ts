import { ConsentMethod, Language, Level } from '@vitrine/contracts';
import { z } from 'zod';

/** Consent states in the W3C Data Privacy Vocabulary's terms (C12). */
export const DpvState = z.enum([
  'requested',
  'given',
  'refused',
  'withdrawn',
  'expired',
  'invalidated',
  'renewed',
]);
export type DpvState = z.infer<typeof DpvState>;

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

/** The notice a choice was made on: id, version, language and SHA-256 of the exact text shown. */
export const NoticeRef = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  language: Language,
  text_hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type NoticeRef = z.infer<typeof NoticeRef>;

export const ConsentEventType = z.enum([
  'consent_given',
  'consent_refused',
  'consent_withdrawn',
  'consent_renewed',
  'consent_invalidated',
  'consent_expired',
  'gpc_signal',
]);
export type ConsentEventType = z.infer<typeof ConsentEventType>;

const isoTime = z.iso.datetime();

/** A consent record per ISO/IEC TS 27560 (C10); stored append-only as JSON. */
export const ConsentRecord = z.object({
  id: z.string().regex(/^cns_[a-z0-9]+$/),
  subject_id: z.string().min(1),
  notice: NoticeRef,
  event_type: ConsentEventType,
  /** The DPV state after this event. */
  state: DpvState,
  method: ConsentMethod,
  level: Level,
  /** Purposes granted after this event. */
  purposes: z.array(z.string()),
  /** Purposes granted before and not after this event. */
  withdrawn_purposes: z.array(z.string()),
  data_categories: z.array(z.string()),
  /** Per data category: "session" or an ISO 8601 duration from collection. */
  retention: z.record(z.string(), z.string()),
  controller: z.object({ name: z.string(), address: z.string(), email: z.string() }),
  recipients: z.array(z.object({ id: z.string(), name: z.string(), country: z.string() })),
  withdrawal_method: z.object({ text: z.string(), path: z.string() }),
  event_time: isoTime,
  valid_until: isoTime.nullable(),
  /** O1: a GPC signal was active, whether the customer overrode it after seeing the conflict, and what they asked for. */
  gpc: z.object({ signal: z.boolean(), override: z.boolean(), requested_level: Level.nullable() }),
  purpose_scopes: z.record(z.string(), z.string()),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;
