import { createHash } from 'node:crypto';
import { SUBJECT_ID_PATTERN } from '@vitrine/contracts';
import { canonicalJson, type Json } from './canonical';
import { AuditError } from './errors';
import { leafHash } from './merkle';

/**
 * What the log records (D5). `rights_completed` closes a `rights_request`; `admin_access` is a
 * read of personal data with the secret key other than an export; `key_rotation` is a change of
 * the identity store's master key or of the checkpoint signing key.
 */
export const AUDIT_KINDS = [
  'consent_change',
  'rights_request',
  'rights_completed',
  'erasure',
  'export_read',
  'admin_access',
  'policy_change',
  'model_rebuild',
  'key_rotation',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * One entry of a shop's log, exactly as hashed. `seq` counts from 0 and is the entry's leaf
 * index in the Merkle tree; `prev` is the leaf hash (hex) of the entry before, 64 zeros for
 * the first. `subject` is a pseudonymous id or a hashed one, never a name or an address, so
 * an erasure never has to rewrite the log.
 */
export interface AuditEntry {
  seq: number;
  /** Epoch milliseconds. */
  ts: number;
  shop_id: string;
  kind: string;
  subject: string | null;
  data: { readonly [key: string]: Json };
  prev: string;
}

/** What a caller hands in; the log adds `seq`, `shop_id` and `prev`. */
export interface AuditEntryInput {
  kind: AuditKind;
  ts: number;
  subject?: string | null;
  data?: { readonly [key: string]: Json };
}

export const GENESIS_PREV = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;
const HASHED_SUBJECT = /^sha256:[0-9a-f]{64}$/;
const SHOP_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const KIND = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * A subject id hashed for entries that must outlive the subject's pseudonymous id itself (the
 * consent proofs kept after an erasure, R4). The customer, who knows their id, can compute it
 * and find their entries; nobody else can reverse it: ids carry ~82 random bits.
 */
export function hashSubject(shopId: string, subjectId: string): string {
  const h = createHash('sha256').update(`vitrine.audit.subject/v1\0${shopId}\0${subjectId}`, 'utf8');
  return `sha256:${h.digest('hex')}`;
}

/**
 * The exact text an entry hashes as: canonical JSON of its seven fields, nothing else. The top
 * level is written out in sorted key order (verification hashes every entry, and this is most
 * of its time); a test holds it equal to `canonicalJson` of the seven fields.
 */
export function entryText(e: AuditEntry): string {
  const j = (v: unknown): string => canonicalJson(v);
  return `{"data":${j(e.data)},"kind":${j(e.kind)},"prev":${j(e.prev)},"seq":${j(e.seq)},"shop_id":${j(e.shop_id)},"subject":${j(e.subject)},"ts":${j(e.ts)}}`;
}

/** RFC 6962 leaf hash of the entry: SHA-256(0x00 || entryText). */
export function entryHash(e: AuditEntry): Buffer {
  return leafHash(entryText(e));
}

export function entryHashHex(e: AuditEntry): string {
  return entryHash(e).toString('hex');
}

/** Keys an audit entry's data never has: identity fields belong in the identity store (D3). */
const PERSONAL_KEYS = new Set([
  'email',
  'e_mail',
  'mail',
  'phone',
  'telephone',
  'mobile',
  'name',
  'first_name',
  'last_name',
  'full_name',
  'address',
  'street',
  'postcode',
  'zip',
  'ip',
  'ip_address',
  'birthdate',
  'date_of_birth',
]);
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const IPV4 = /(^|[^\d.])\d{1,3}(\.\d{1,3}){3}($|[^\d.])/;

/**
 * A guard against mistakes, not a proof: refuses data with identity keys (`email`, `name`,
 * `address` …) or values that look like an e-mail or IPv4 address, naming the field.
 */
export function assertNoPersonalData(value: Json, path = 'data'): void {
  if (typeof value === 'string') {
    if (EMAIL.test(value) || IPV4.test(value)) {
      throw new AuditError(
        'personal_data',
        path,
        `${path} looks like an e-mail or IP address; the audit log holds pseudonymous ids only (D5)`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertNoPersonalData(v, `${path}[${i}]`);
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (PERSONAL_KEYS.has(k.toLowerCase())) {
        throw new AuditError(
          'personal_data',
          `${path}.${k}`,
          `${path}.${k}: identity fields belong in the identity store, not the audit log (D3, D5)`,
        );
      }
      assertNoPersonalData(v as Json, `${path}.${k}`);
    }
  }
}

/** Whether a subject may stand in an entry: null, a `sub_…` id, or `sha256:<64 hex>`. */
export function isPseudonymousSubject(subject: string | null): boolean {
  return subject === null || SUBJECT_ID_PATTERN.test(subject) || HASHED_SUBJECT.test(subject);
}

/**
 * The entry that follows `previous` in the shop's log (the first one when undefined). Pure, so
 * a store can build and insert it inside the transaction of the change it records.
 */
export function nextEntry(
  shopId: string,
  previous: AuditEntry | undefined,
  input: AuditEntryInput,
): AuditEntry {
  if (!SHOP_ID.test(shopId)) {
    throw new AuditError('invalid_entry', 'shop_id', `shop id ${JSON.stringify(shopId)} is not a valid id`);
  }
  if (!(AUDIT_KINDS as readonly string[]).includes(input.kind)) {
    throw new AuditError(
      'invalid_entry',
      'kind',
      `kind ${JSON.stringify(input.kind)} is not one of ${AUDIT_KINDS.join(', ')}`,
    );
  }
  if (!Number.isSafeInteger(input.ts) || input.ts < 0) {
    throw new AuditError('invalid_entry', 'ts', 'ts must be epoch milliseconds (a whole number >= 0)');
  }
  const subject = input.subject ?? null;
  if (!isPseudonymousSubject(subject)) {
    throw new AuditError(
      'invalid_subject',
      'subject',
      'subject must be a pseudonymous id (sub_…) or a hashed one (hashSubject), or null',
    );
  }
  const data = input.data ?? {};
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AuditError('invalid_entry', 'data', 'data must be a JSON object');
  }
  try {
    canonicalJson(data);
  } catch (e) {
    throw new AuditError('invalid_entry', 'data', (e as Error).message.replace(/^\$/, 'data'), { cause: e });
  }
  assertNoPersonalData(data);
  if (previous !== undefined && previous.shop_id !== shopId) {
    throw new AuditError('invalid_entry', 'shop_id', 'the previous entry belongs to another shop');
  }
  return {
    seq: previous === undefined ? 0 : previous.seq + 1,
    ts: input.ts,
    shop_id: shopId,
    kind: input.kind,
    subject,
    data,
    prev: previous === undefined ? GENESIS_PREV : entryHashHex(previous),
  };
}

export type EntryCheck = { ok: true; entry: AuditEntry } | { ok: false; field: string; message: string };

/**
 * Whether an untrusted value (read from a store or a JSON file) has the shape of an entry.
 * The kind may be any lower-case word, so an older verifier still checks a newer log.
 */
export function checkEntry(value: unknown): EntryCheck {
  const fail = (field: string, message: string): EntryCheck => ({ ok: false, field, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('', 'is not an object');
  }
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).filter(
    (k) => !['seq', 'ts', 'shop_id', 'kind', 'subject', 'data', 'prev'].includes(k),
  );
  if (extra.length > 0)
    return fail(extra[0]!, `unknown field ${extra[0]} (it would not be covered by the hash)`);
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0)
    return fail('seq', 'must be a whole number >= 0');
  if (!Number.isSafeInteger(v.ts) || (v.ts as number) < 0) return fail('ts', 'must be epoch milliseconds');
  if (typeof v.shop_id !== 'string' || !SHOP_ID.test(v.shop_id)) return fail('shop_id', 'must be a shop id');
  if (typeof v.kind !== 'string' || !KIND.test(v.kind)) return fail('kind', 'must be a lower-case word');
  if (v.subject !== null && typeof v.subject !== 'string') return fail('subject', 'must be a string or null');
  if (v.data === null || typeof v.data !== 'object' || Array.isArray(v.data)) {
    return fail('data', 'must be a JSON object');
  }
  try {
    canonicalJson(v.data);
  } catch (e) {
    return fail('data', (e as Error).message);
  }
  if (typeof v.prev !== 'string' || !HEX64.test(v.prev))
    return fail('prev', 'must be 64 lower-case hex digits');
  return { ok: true, entry: v as unknown as AuditEntry };
}
