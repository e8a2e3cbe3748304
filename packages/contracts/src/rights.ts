import { z } from 'zod';
import { ITEM_ID } from './catalog';
import { Language } from './language';
import { text } from './text';

/**
 * The customer's rights on the wire (R1–R6, O3, D3): requests and answers of the routes under
 * `/v1/subjects/{id}/…` and `/v1/rights-requests`.
 */

/** `GET /v1/subjects/{id}/export?format=json|csv`. */
export const ExportQuery = z.object({
  format: z.enum(['json', 'csv'], { error: 'format must be "json" or "csv"' }).default('json'),
  language: Language.default('de'),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** A catalog category path: `["Wohnen", "Kerzen"]` or the text `"Wohnen > Kerzen"`. */
const CategoryPath = z
  .union([text().min(1).max(500), z.array(text().trim().min(1).max(100)).min(1).max(10)])
  .transform((v) =>
    Array.isArray(v)
      ? v
      : v
          .split('>')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
  )
  .pipe(z.array(z.string()).min(1, 'category must name at least one level, e.g. ["Wohnen", "Kerzen"]'));

/** `POST /v1/subjects/{id}/exclusions` (R3, "don't use this"): one item or one catalog category. */
export const ExclusionRequest = z
  .strictObject({ item_id: ITEM_ID.optional(), category: CategoryPath.optional() })
  .refine((v) => (v.item_id === undefined) !== (v.category === undefined), {
    message: 'send exactly one of item_id or category',
    path: ['item_id'],
  });
export type ExclusionRequest = z.infer<typeof ExclusionRequest>;

/** `PUT /v1/subjects/{id}/restriction` (R6). */
export const RestrictionRequest = z.strictObject({
  paused: z.boolean({ error: 'paused must be true or false' }),
});
export type RestrictionRequest = z.infer<typeof RestrictionRequest>;

/** `PUT /v1/subjects/{id}/objection` (O3): each flag as it should be from now on. */
export const ObjectionRequest = z.strictObject({
  direct_marketing: z.boolean({ error: 'direct_marketing must be true or false' }),
  profiling: z.boolean({ error: 'profiling must be true or false' }),
});
export type ObjectionRequest = z.infer<typeof ObjectionRequest>;

/** `PUT /v1/subjects/{id}/identity` (D3): fields to set; null removes one; fields not named stay. */
export const IdentityRequest = z
  .strictObject({
    email: z.email('email must be an e-mail address').max(320).nullable().optional(),
    name: text()
      .trim()
      .min(1, 'name must not be empty (send null to remove it)')
      .max(300)
      .nullable()
      .optional(),
    address: text()
      .trim()
      .min(1, 'address must not be empty (send null to remove it)')
      .max(1000)
      .nullable()
      .optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one of email, name or address' });
export type IdentityRequest = z.infer<typeof IdentityRequest>;

export const EXCLUSION_ID = z.string().regex(/^exc_[a-z0-9]{1,64}$/, 'an exclusion id looks like exc_…');
export const EVENT_ID = z
  .string()
  .regex(/^evt_[a-z0-9]{1,64}(\.[0-9]{1,4})?$/, 'an event id looks like evt_… (as the export lists it)');
export const RECORD_ID = z.string().regex(/^cns_[a-z0-9]{1,64}$/, 'a consent record id looks like cns_…');

export type RightsRequestKind = 'export' | 'erasure' | 'correction' | 'restriction' | 'objection';

/** One request of the register (R1): due one month after it was received. */
export interface RightsRequestOut {
  id: string;
  /** The subject's `sub_…` id, or its hash (`sha256:…`) once the subject is erased. */
  subject: string;
  kind: RightsRequestKind;
  /** How the requester proved to be the subject: the shop's secret key, the subject token, or a token the shop's backend signed. */
  proof: 'secret_key' | 'subject_token' | 'backend_token';
  received: string;
  deadline: string;
  completed: string | null;
  overdue: boolean;
}

export interface RightsRequestsResponse {
  requests: RightsRequestOut[];
}

export interface ExclusionOut {
  id: string;
  item_id: string | null;
  category: string[] | null;
  created: string;
}

export interface RestrictionResponse {
  subject_id: string;
  paused: boolean;
  request_id: string;
}

export interface ObjectionResponse {
  subject_id: string;
  objection: { direct_marketing: boolean; profiling: boolean };
  /** Purposes withdrawn by this objection (they stay off until the customer chooses them again after lifting it). */
  withdrawn_purposes: string[];
  erased_events: number;
  request_id: string;
}

/** What an erasure removed, per place. */
export interface ErasureRemoved {
  events: number;
  sessions: number;
  /** The subject's consent state (its row). */
  consent_state: number;
  exclusions: number;
  objections: number;
  /** The subject's identity key, destroyed before the fields (crypto-shredding): copies of the fields anywhere are unreadable. */
  identity_keys: number;
  identity_fields: number;
  /** Answers kept for 24 h to replay the subject's own requests sent with an Idempotency-Key (public key), under a hash of their id. */
  idempotency_answers: number;
  /** What left the shop's shared models in memory (exact unlearning), caches keyed on them included. */
  shared_models: { sessions: number; interactions: number };
}

/** What an erasure keeps, and why: only under the subject's hashed id. */
export interface ErasureKept {
  consent_records: { count: number; under: string; why: string; kept_for: string };
  rights_requests: { count: number; under: string; why: string; kept_for: string };
  audit_log: { under: string; why: string };
}

/**
 * The receipt of an erasure (R4). `subject` is the hashed id (`sha256:…`, computable by whoever
 * knows the `sub_…` id); `proof` shows, offline, that the erasure's audit entry is in the
 * shop's log under a signed checkpoint.
 */
export interface ErasureReceipt {
  format: 'vitrine-erasure-receipt/1';
  erasure_id: string;
  shop_id: string;
  subject: string;
  requested: string;
  completed: string;
  duration_ms: number;
  removed: ErasureRemoved;
  kept: ErasureKept;
  /** Digests of the interactions the shared models had learned, before and after (see the README). */
  models: { fingerprint_before: string; fingerprint_after: string };
  audit_seq: number;
  proof: unknown;
}

export type ErasureResponse =
  | { status: 'completed'; erasure_id: string; subject_id: string; receipt: ErasureReceipt }
  | { status: 'pending'; erasure_id: string; subject_id: string; message: string };

/** `GET /v1/rights-requests?limit=…`: newest first. */
export const RightsRequestsQuery = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be 1 or more')
    .max(5000, 'limit must be 5000 or less')
    .default(500),
});
