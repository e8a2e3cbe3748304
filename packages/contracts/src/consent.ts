import { z } from 'zod';
import { ownRecord } from './keys';
import { Language } from './language';

export const Level = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
  error: 'level must be 0 (Neutral), 1 (this visit), 2 (my history) or 3 (predictions)',
});
export type Level = z.infer<typeof Level>;

export const ConsentMethod = z.enum(['accept', 'reject', 'save', 'gpc', 'api']);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/** How a change was made, as a request names it; `withdraw` is accepted as another word for `reject`. */
const RequestMethod = z.enum(['accept', 'reject', 'save', 'api', 'withdraw'], {
  error: 'method must be accept, reject (or withdraw), save or api',
});
type RecordedMethod = Exclude<ConsentMethod, 'gpc'>;

export const ConsentUpdateRequest = z
  .object({
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
    method: RequestMethod.default('save'),
    /** Set when the customer chose a level above 1 after being shown the GPC conflict (O1). */
    override_gpc: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    if (r.method === 'withdraw' && (r.level !== 0 || Object.values(r.purposes).some((on) => on)))
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message:
          'method "withdraw" takes everything back: send level 0 and no switch on (or method "save" to lower the level)',
      });
  })
  // A withdrawal is the refusal of what was given: the ledger records it with method `reject` (C10).
  .transform(({ method, ...r }) => ({
    ...r,
    method: (method === 'withdraw' ? 'reject' : method) as RecordedMethod,
  }));
export type ConsentUpdateRequest = z.output<typeof ConsentUpdateRequest>;

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

/** A consent record per ISO/IEC TS 27560 (C10); stored append-only as JSON and answered as it is. */
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

// Responses (what the API answers; the SDK and the customer pages read these).

/** `POST /v1/subjects`: a new pseudonymous subject and the token that binds a browser to it. */
export interface SubjectCreatedResponse {
  subject_id: string;
  token: string;
}

export interface NoticeDialogLevel {
  level: number;
  /** "Stufe 1 – Diese Sitzung", as the notice text heads it. */
  heading: string;
  name: string;
  summary: string;
  /** Labels of the level's purposes, in policy order. */
  purposes: string[];
  reward: string | null;
}

export interface NoticeDialogPurpose {
  /** The purpose id a consent request names. */
  id: string;
  label: string;
  description: string;
  /** The rows the notice lists for the purpose (data, retention, basis, recipients, profiling), verbatim. */
  facts: [string, string][];
  /** Further paragraphs, e.g. the right to object to direct marketing. */
  notes: string[];
  /** Each data category used, with how long it is kept for this purpose. */
  data: { label: string; kept: string }[];
  profiling: boolean;
  /** Offered as a switch beside the dial (off from the start). */
  switch: boolean;
  /** The levels whose bundle holds the purpose. */
  levels: number[];
}

/**
 * The consent dialog's content as data: the same strings as the notice text, split into the
 * parts a dialog lays out, plus the purpose ids a consent request names. Every string occurs
 * verbatim in the notice text whose hash goes into the consent record (C10). Built by
 * `noticeDialog` of @vitrine/policy.
 */
export interface NoticeDialog {
  title: string;
  intro: string;
  controllerTitle: string;
  controller: string[];
  levelsTitle: string;
  levels: NoticeDialogLevel[];
  switchesTitle: string | null;
  purposesTitle: string;
  purposes: NoticeDialogPurpose[];
  withdrawal: { title: string; lines: string[] };
  gpc: { title: string; text: string };
  /** Data category id → label, to name the data behind a recommendation's reasons. */
  categories: Record<string, string>;
}

/** `GET /v1/notice`: the current notice in one language, as text (hashed, C10) and as the dialog's parts. */
export interface NoticeResponse {
  notice_id: string;
  version: number;
  language: Language;
  text: string;
  text_hash: string;
  /** The same strings as `text`, laid out for a dialog, with the purpose ids per-purpose switches name (C5). */
  dialog: NoticeDialog;
}

/** `GET /v1/subjects/{id}/consent`: the consent that holds now. */
export interface ConsentStateResponse {
  subject_id: string;
  level: Level;
  purposes: Record<string, boolean>;
  dpv_state: DpvState;
  notice_version: number;
  current_notice_version: number;
  needs_reconsent: boolean;
  gpc: boolean;
  paused: boolean;
  valid_until: string | null;
}

/** `PUT /v1/subjects/{id}/consent`: the new state, its ledger record and what the change erased (C9). */
export interface ConsentUpdateResponse {
  state: ConsentStateResponse;
  record: ConsentRecord;
  erased_events: number;
}

/** `GET /v1/subjects/{id}/consent/records`: the ledger, oldest first, each with its exact notice text (C10). */
export interface ConsentRecordsResponse {
  subject_id: string;
  records: Array<{ record: ConsentRecord; notice_text: string | null }>;
}
