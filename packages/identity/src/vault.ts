import {
  createSubjectKey,
  decryptField,
  encryptField,
  IDENTITY_FIELDS,
  type IdentityField,
  rewrapSubjectKey,
  type SubjectKey,
  type SubjectRef,
  unwrapSubjectKey,
  wrappedKeyMasterId,
} from './envelope';
import { IdentityError } from './errors';
import type { MasterKeyring } from './master-key';

/** A subject's identity in clear: each field optional. */
export type Identity = Partial<Record<IdentityField, string>>;
/** The encrypted fields as stored. */
export type SealedFields = Partial<Record<IdentityField, Uint8Array>>;

export interface WrappedKeyRow extends SubjectRef {
  wrapped: Uint8Array;
}

/**
 * Where the identity store keeps its bytes. The server implements it on SQLite and PostgreSQL,
 * apart from the event tables (D3). Keys and fields are separate on purpose: erasure deletes
 * the key (crypto-shredding, R4) and copies of the fields stay unreadable. Keep the key table
 * out of long-lived backups, or give its backups a short retention: a surviving copy of a
 * wrapped key, together with the master key, would undo the shredding.
 */
export interface IdentityStore {
  getKey(ref: SubjectRef): Promise<Uint8Array | undefined>;
  /**
   * Inserts the subject's first key unless one exists (a unique key does it), and says whether
   * it did: of two concurrent first writes only one key may win, or the loser's fields would be
   * encrypted with a key nobody keeps.
   */
  addKey(ref: SubjectRef, wrapped: Uint8Array): Promise<boolean>;
  /** Replaces an existing key (rotation: the same key, wrapped anew). */
  putKey(ref: SubjectRef, wrapped: Uint8Array): Promise<void>;
  /** Returns whether a key was there. */
  deleteKey(ref: SubjectRef): Promise<boolean>;
  getFields(ref: SubjectRef): Promise<SealedFields>;
  /** Sets the given fields; `null` removes one; fields not named stay. */
  putFields(ref: SubjectRef, fields: Partial<Record<IdentityField, Uint8Array | null>>): Promise<void>;
  /** Returns how many fields were deleted. */
  deleteFields(ref: SubjectRef): Promise<number>;
  /** Wrapped keys in a stable order, `limit` at a time after the cursor (for rotation). */
  listKeys(after: SubjectRef | undefined, limit: number): Promise<WrappedKeyRow[]>;
}

export type IdentityRead =
  | { status: 'none' }
  | { status: 'present'; identity: Identity }
  /** Fields remain but the key is gone: they can never be read again. */
  | { status: 'shredded'; fields: IdentityField[] };

const LIMITS: Record<IdentityField, number> = { email: 320, name: 300, address: 1000 };
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function checkIdentity(identity: Partial<Record<string, string | null>>): void {
  for (const [field, value] of Object.entries(identity)) {
    if (!(IDENTITY_FIELDS as readonly string[]).includes(field)) {
      throw new IdentityError(
        'invalid_field',
        field,
        `${field} is not an identity field (${IDENTITY_FIELDS.join(', ')})`,
      );
    }
    if (value === null) continue;
    const f = field as IdentityField;
    if (typeof value !== 'string' || value.trim() === '' || value.length > LIMITS[f]) {
      throw new IdentityError(
        'invalid_field',
        f,
        `${f} must be a non-empty text of at most ${LIMITS[f]} characters (or null to remove it)`,
      );
    }
    if (f === 'email' && !EMAIL.test(value)) {
      throw new IdentityError('invalid_field', f, 'email must look like name@domain');
    }
  }
}

/** The identity store over any `IdentityStore`: encrypts, decrypts, shreds and rotates. */
export class IdentityVault {
  readonly #store: IdentityStore;
  readonly #keyring: MasterKeyring;

  constructor(store: IdentityStore, keyring: MasterKeyring) {
    this.#store = store;
    this.#keyring = keyring;
  }

  /** Sets the given fields (null removes one); creates the subject's key on first use. */
  async set(ref: SubjectRef, identity: Partial<Record<IdentityField, string | null>>): Promise<void> {
    checkIdentity(identity);
    const key = await this.#keyFor(ref);
    const sealed: Partial<Record<IdentityField, Uint8Array | null>> = {};
    for (const [field, value] of Object.entries(identity) as [IdentityField, string | null][]) {
      sealed[field] = value === null ? null : encryptField(key, ref, field, value);
    }
    await this.#store.putFields(ref, sealed);
  }

  async get(ref: SubjectRef): Promise<IdentityRead> {
    const fields = await this.#store.getFields(ref);
    const names = (Object.keys(fields) as IdentityField[]).filter((f) => fields[f] !== undefined).sort();
    if (names.length === 0) return { status: 'none' };
    const wrapped = await this.#store.getKey(ref);
    if (wrapped === undefined) return { status: 'shredded', fields: names };
    const key = unwrapSubjectKey(this.#keyring, ref, wrapped);
    const identity: Identity = {};
    for (const f of names) identity[f] = decryptField(key, ref, f, fields[f]!);
    return { status: 'present', identity };
  }

  /**
   * Erasure (R4): destroys the subject's key first, so that even if deleting the fields fails
   * midway, or copies of them exist elsewhere, they are unreadable; then deletes the fields.
   * Idempotent.
   */
  async shred(ref: SubjectRef): Promise<{ keyDestroyed: boolean; fieldsDeleted: number }> {
    const keyDestroyed = await this.#store.deleteKey(ref);
    const fieldsDeleted = await this.#store.deleteFields(ref);
    return { keyDestroyed, fieldsDeleted };
  }

  /**
   * Rewraps every subject key under the keyring's current master key, `batch` at a time; the
   * encrypted fields are not touched. Safe to rerun after an interruption: keys already under
   * the current master key are skipped.
   */
  async rotate(options: { batch?: number } = {}): Promise<{ rewrapped: number; current: number }> {
    const batch = options.batch ?? 500;
    let after: SubjectRef | undefined;
    let rewrapped = 0;
    let current = 0;
    for (;;) {
      const rows = await this.#store.listKeys(after, batch);
      for (const row of rows) {
        if (wrappedKeyMasterId(row.wrapped) === this.#keyring.current.id) {
          current++;
          continue;
        }
        const ref = { shopId: row.shopId, subjectId: row.subjectId };
        await this.#store.putKey(ref, rewrapSubjectKey(this.#keyring, ref, row.wrapped));
        rewrapped++;
      }
      if (rows.length < batch) break;
      const last = rows[rows.length - 1]!;
      after = { shopId: last.shopId, subjectId: last.subjectId };
    }
    return { rewrapped, current };
  }

  /** The subject's key; a new one on first use (or after an erasure: a new identity, new key). */
  async #keyFor(ref: SubjectRef): Promise<SubjectKey> {
    const wrapped = await this.#store.getKey(ref);
    if (wrapped !== undefined) return unwrapSubjectKey(this.#keyring, ref, wrapped);
    const fresh = createSubjectKey(this.#keyring, ref);
    if (await this.#store.addKey(ref, fresh.wrapped)) {
      // Fields left from a destroyed key (an erasure that stopped midway) are unreadable for
      // good: drop them, so they are not mistaken for tampering with the new key's fields.
      const left = await this.#store.getFields(ref);
      const orphans: Partial<Record<IdentityField, null>> = {};
      for (const [f, v] of Object.entries(left) as [IdentityField, Uint8Array][]) {
        try {
          decryptField(fresh.key, ref, f, v);
        } catch {
          orphans[f] = null;
        }
      }
      if (Object.keys(orphans).length > 0) await this.#store.putFields(ref, orphans);
      return fresh.key;
    }
    // Another writer created the key first: use theirs.
    const theirs = await this.#store.getKey(ref);
    if (theirs === undefined)
      throw new IdentityError('tampered', 'subject', 'the subject key vanished while it was created');
    return unwrapSubjectKey(this.#keyring, ref, theirs);
  }
}

const refKey = (ref: SubjectRef): string => JSON.stringify([ref.shopId, ref.subjectId]);

/** An in-memory store, for tests only. */
export class MemoryIdentityStore implements IdentityStore {
  readonly keys = new Map<string, Buffer>();
  readonly fields = new Map<string, Map<IdentityField, Buffer>>();

  async getKey(ref: SubjectRef): Promise<Uint8Array | undefined> {
    const k = this.keys.get(refKey(ref));
    return k === undefined ? undefined : Buffer.from(k);
  }

  async addKey(ref: SubjectRef, wrapped: Uint8Array): Promise<boolean> {
    if (this.keys.has(refKey(ref))) return false;
    this.keys.set(refKey(ref), Buffer.from(wrapped));
    return true;
  }

  async putKey(ref: SubjectRef, wrapped: Uint8Array): Promise<void> {
    this.keys.set(refKey(ref), Buffer.from(wrapped));
  }

  async deleteKey(ref: SubjectRef): Promise<boolean> {
    return this.keys.delete(refKey(ref));
  }

  async getFields(ref: SubjectRef): Promise<SealedFields> {
    const out: SealedFields = {};
    for (const [f, v] of this.fields.get(refKey(ref)) ?? []) out[f] = Buffer.from(v);
    return out;
  }

  async putFields(ref: SubjectRef, fields: Partial<Record<IdentityField, Uint8Array | null>>): Promise<void> {
    const row = this.fields.get(refKey(ref)) ?? new Map<IdentityField, Buffer>();
    for (const [f, v] of Object.entries(fields) as [IdentityField, Uint8Array | null][]) {
      if (v === null) row.delete(f);
      else row.set(f, Buffer.from(v));
    }
    this.fields.set(refKey(ref), row);
  }

  async deleteFields(ref: SubjectRef): Promise<number> {
    const n = this.fields.get(refKey(ref))?.size ?? 0;
    this.fields.delete(refKey(ref));
    return n;
  }

  async listKeys(after: SubjectRef | undefined, limit: number): Promise<WrappedKeyRow[]> {
    const all = [...this.keys.entries()]
      .map(([k, wrapped]) => {
        const [shopId, subjectId] = JSON.parse(k) as [string, string];
        return { shopId, subjectId, wrapped: Buffer.from(wrapped) };
      })
      .sort((a, b) => (a.shopId === b.shopId ? cmp(a.subjectId, b.subjectId) : cmp(a.shopId, b.shopId)));
    const start =
      after === undefined
        ? 0
        : all.findIndex(
            (r) =>
              cmp(r.shopId, after.shopId) > 0 ||
              (r.shopId === after.shopId && cmp(r.subjectId, after.subjectId) > 0),
          );
    return start < 0 ? [] : all.slice(start, start + limit);
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
