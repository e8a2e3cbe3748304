import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { IdentityError } from './errors';
import type { MasterKey, MasterKeyring } from './master-key';

/**
 * Envelope encryption for the identity store (D3) and crypto-shredding (R4).
 *
 * Each subject has a data key of its own (32 random bytes). It is stored only wrapped:
 * AES-256-GCM under the master key, bound to the shop and subject. Each identity field is
 * encrypted with the subject key, AES-256-GCM with a fresh random 96-bit nonce, bound to shop,
 * subject and field name. So a ciphertext moved to another subject, shop or field fails to
 * decrypt; rotating the master key rewraps the small keys and leaves the data as it is; and
 * destroying a subject's wrapped key leaves every copy of its fields (replicas, backups, logs)
 * unreadable, as long as no copy of the wrapped key itself survives.
 *
 * Byte formats, version 1 (the header is part of the authenticated data, so it cannot be
 * changed either):
 *
 *   wrapped key:  01 'K' | master key id (4) | nonce (12) | encrypted key (32) | tag (16)  = 66 bytes
 *   field:        01 'F' | nonce (12) | ciphertext (UTF-8 length) | tag (16)
 *
 * As text (for a TEXT column or JSON), each is base64url without padding: `toText`/`fromText`.
 */

export const IDENTITY_FIELDS = ['email', 'name', 'address'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export interface SubjectRef {
  shopId: string;
  subjectId: string;
}

const VERSION = 0x01;
const TYPE_KEY = 0x4b; // 'K'
const TYPE_FIELD = 0x46; // 'F'
const NONCE = 12;
const TAG = 16;
const KEY = 32;
const WRAPPED_LENGTH = 2 + 4 + NONCE + KEY + TAG;

/** A subject's data key, unwrapped. Like the master key it never prints. */
export class SubjectKey {
  readonly #key: KeyObject;

  /** @internal */
  constructor(key: KeyObject) {
    this.#key = key;
  }

  /** @internal */
  get keyObject(): KeyObject {
    return this.#key;
  }

  toString(): string {
    return 'SubjectKey(…)';
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Length-prefixed by JSON: no id can run into the next one. */
function aad(header: Uint8Array, ...parts: string[]): Buffer {
  return Buffer.concat([header, Buffer.from(JSON.stringify(parts), 'utf8')]);
}

function keyAad(header: Uint8Array, ref: SubjectRef): Buffer {
  return aad(header, 'vitrine.identity.key/v1', ref.shopId, ref.subjectId);
}

function fieldAad(header: Uint8Array, ref: SubjectRef, field: IdentityField): Buffer {
  return aad(header, 'vitrine.identity.field/v1', ref.shopId, ref.subjectId, field);
}

function checkRef(ref: SubjectRef): void {
  for (const [name, v] of [
    ['shopId', ref.shopId],
    ['subjectId', ref.subjectId],
  ] as const) {
    if (typeof v !== 'string' || v.length === 0) {
      throw new IdentityError('invalid_field', name, `${name} must be a non-empty string`);
    }
  }
}

function seal(key: KeyObject, plaintext: Uint8Array, header: Buffer, additional: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
  cipher.setAAD(additional);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
}

function open(
  key: KeyObject,
  sealed: Buffer,
  headerLength: number,
  additional: Buffer,
  what: string,
): Buffer {
  const nonce = sealed.subarray(headerLength, headerLength + NONCE);
  const body = sealed.subarray(headerLength + NONCE, sealed.length - TAG);
  const tag = sealed.subarray(sealed.length - TAG);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
    decipher.setAAD(additional);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (e) {
    throw new IdentityError(
      'tampered',
      what,
      `${what} does not decrypt: its bytes, or the shop, subject or field it belongs to, were changed`,
      { cause: e },
    );
  }
}

function header(bytes: Uint8Array, type: number, minLength: number, what: string): Buffer {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 2 || b[0] !== VERSION || b[1] !== type) {
    throw new IdentityError(
      'unsupported_format',
      what,
      `${what} is not a version 1 ${type === TYPE_KEY ? 'wrapped key' : 'encrypted field'}`,
    );
  }
  if (b.length < minLength) throw new IdentityError('unsupported_format', what, `${what} is truncated`);
  return b;
}

/** A new random key for a subject, and its wrapped form to store. */
export function createSubjectKey(
  master: MasterKey | MasterKeyring,
  ref: SubjectRef,
): { key: SubjectKey; wrapped: Buffer } {
  checkRef(ref);
  const raw = randomBytes(KEY);
  try {
    const key = new SubjectKey(createSecretKey(raw));
    return { key, wrapped: wrapKey(raw, 'current' in master ? master.current : master, ref) };
  } finally {
    raw.fill(0);
  }
}

function wrapKey(raw: Buffer, master: MasterKey, ref: SubjectRef): Buffer {
  const head = Buffer.concat([Buffer.from([VERSION, TYPE_KEY]), Buffer.from(master.id, 'hex')]);
  return seal(master.keyObject, raw, head, keyAad(head, ref));
}

function unwrapRaw(keyring: MasterKeyring, ref: SubjectRef, wrapped: Uint8Array): Buffer {
  checkRef(ref);
  const b = header(wrapped, TYPE_KEY, WRAPPED_LENGTH, 'wrapped key');
  if (b.length !== WRAPPED_LENGTH)
    throw new IdentityError('unsupported_format', 'wrapped key', 'wrapped key has the wrong length');
  const id = b.subarray(2, 6).toString('hex');
  const master = keyring.get(id);
  if (master === undefined) {
    throw new IdentityError(
      'unknown_master_key',
      'wrapped key',
      `the subject key was wrapped by master key ${id}, which is not configured (configured: ${keyring.ids.join(', ')})`,
    );
  }
  return open(master.keyObject, b, 6, keyAad(b.subarray(0, 6), ref), 'wrapped key');
}

/** Unwraps a subject's key with whichever configured master key wrapped it. */
export function unwrapSubjectKey(keyring: MasterKeyring, ref: SubjectRef, wrapped: Uint8Array): SubjectKey {
  const raw = unwrapRaw(keyring, ref, wrapped);
  try {
    return new SubjectKey(createSecretKey(raw));
  } finally {
    raw.fill(0);
  }
}

/** The id of the master key that wrapped this key (to find keys a rotation has not reached yet). */
export function wrappedKeyMasterId(wrapped: Uint8Array): string {
  return header(wrapped, TYPE_KEY, WRAPPED_LENGTH, 'wrapped key').subarray(2, 6).toString('hex');
}

/**
 * The same subject key wrapped by the keyring's current master key (rotation). The data
 * encrypted with the subject key stays as it is. Returns the input unchanged when it is
 * already wrapped by the current key.
 */
export function rewrapSubjectKey(keyring: MasterKeyring, ref: SubjectRef, wrapped: Uint8Array): Buffer {
  if (wrappedKeyMasterId(wrapped) === keyring.current.id) return Buffer.from(wrapped);
  const raw = unwrapRaw(keyring, ref, wrapped);
  try {
    return wrapKey(raw, keyring.current, ref);
  } finally {
    raw.fill(0);
  }
}

export function encryptField(key: SubjectKey, ref: SubjectRef, field: IdentityField, value: string): Buffer {
  checkRef(ref);
  const head = Buffer.from([VERSION, TYPE_FIELD]);
  return seal(key.keyObject, Buffer.from(value, 'utf8'), head, fieldAad(head, ref, field));
}

export function decryptField(
  key: SubjectKey,
  ref: SubjectRef,
  field: IdentityField,
  sealed: Uint8Array,
): string {
  checkRef(ref);
  const b = header(sealed, TYPE_FIELD, 2 + NONCE + TAG, field);
  return open(key.keyObject, b, 2, fieldAad(b.subarray(0, 2), ref, field), field).toString('utf8');
}

/** Stored bytes as text: base64url, no padding. */
export function toText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function fromText(text: string, what = 'value'): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new IdentityError('unsupported_format', what, `${what} is not base64url text`);
  }
  return Buffer.from(text, 'base64url');
}
