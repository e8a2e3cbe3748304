import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { AuditError } from './errors';

/**
 * Ed25519 keys for checkpoint signatures, from node:crypto. The private key lives in the
 * server's configuration (PKCS#8 PEM or the 32-byte seed in base64); the public key is
 * published per shop in three forms: PEM (any TLS tool reads it), the raw 32 bytes in base64
 * (a few lines of Node verify with it) and a signed-note verifier key (`name+id+key`, the form
 * Go's golang.org/x/mod/sumdb/note and other C2SP tools take).
 */

export interface AuditKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The Ed25519 algorithm byte of the C2SP signed-note format. */
const ED25519_NOTE_TYPE = 0x01;
/** DER prefixes of an Ed25519 SubjectPublicKeyInfo and PKCS#8 key around the 32 raw bytes (RFC 8410). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function generateAuditKeys(): AuditKeyPair {
  return generateKeyPairSync('ed25519');
}

function assertEd25519(key: KeyObject, type: 'public' | 'private', field: string): void {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== type) {
    throw new AuditError('invalid_key', field, `expected an Ed25519 ${type} key`);
  }
}

export function rawPublicKey(publicKey: KeyObject): Buffer {
  assertEd25519(publicKey, 'public', 'public_key');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** The C2SP key id: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || raw public key). */
export function noteKeyId(name: string, publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_NOTE_TYPE]))
    .update(rawPublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

export interface ExportedPublicKey {
  /** SubjectPublicKeyInfo PEM. */
  pem: string;
  /** The raw 32-byte key, base64. */
  base64: string;
}

export function exportPublicKey(publicKey: KeyObject): ExportedPublicKey {
  assertEd25519(publicKey, 'public', 'public_key');
  return {
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    base64: rawPublicKey(publicKey).toString('base64'),
  };
}

/** The signed-note verifier key `<name>+<key id hex>+<base64(0x01 || key)>`. */
export function noteVerifierKey(name: string, publicKey: KeyObject): string {
  const body = Buffer.concat([Buffer.from([ED25519_NOTE_TYPE]), rawPublicKey(publicKey)]).toString('base64');
  return `${name}+${noteKeyId(name, publicKey).toString('hex')}+${body}`;
}

/** PKCS#8 PEM, for the server's configuration. */
export function exportPrivateKey(privateKey: KeyObject): string {
  assertEd25519(privateKey, 'private', 'private_key');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function decode32(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : undefined;
  }
  return undefined;
}

const VERIFIER_KEY = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]{44})$/;

/**
 * Reads an Ed25519 public key from SPKI PEM, the raw 32 bytes (base64, base64url or hex) or a
 * signed-note verifier key. Throws `invalid_key` saying which forms are accepted.
 */
export function importPublicKey(text: string, field = 'public_key'): KeyObject {
  const t = text.trim();
  const vkey = VERIFIER_KEY.exec(t);
  let key: KeyObject | undefined;
  try {
    if (t.startsWith('-----BEGIN')) key = createPublicKey(t);
    else {
      let raw: Buffer | undefined;
      if (vkey) {
        const body = Buffer.from(vkey[3]!, 'base64');
        if (body.length === 33 && body[0] === ED25519_NOTE_TYPE) raw = body.subarray(1);
      } else raw = decode32(t);
      if (raw !== undefined) {
        key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
      }
    }
  } catch (e) {
    throw new AuditError('invalid_key', field, `${field} is not a readable Ed25519 public key`, { cause: e });
  }
  if (key === undefined) {
    throw new AuditError(
      'invalid_key',
      field,
      `${field} must be an Ed25519 public key: PEM, the 32 raw bytes in base64 or hex, or a verifier key name+id+key`,
    );
  }
  assertEd25519(key, 'public', field);
  // A verifier key names its key id: refuse one that does not belong to the key.
  if (vkey && noteKeyId(vkey[1]!, key).toString('hex') !== vkey[2]) {
    throw new AuditError('invalid_key', field, `${field}: the key id does not match the key`);
  }
  return key;
}

/** Reads an Ed25519 private key from PKCS#8 PEM or its 32-byte seed (base64, base64url or hex). */
export function importPrivateKey(text: string, field = 'private_key'): KeyObject {
  const t = text.trim();
  let key: KeyObject | undefined;
  try {
    if (t.startsWith('-----BEGIN')) key = createPrivateKey(t);
    else {
      const seed = decode32(t);
      if (seed !== undefined) {
        key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
      }
    }
  } catch (e) {
    throw new AuditError('invalid_key', field, `${field} is not a readable Ed25519 private key`, {
      cause: e,
    });
  }
  if (key === undefined) {
    throw new AuditError(
      'invalid_key',
      field,
      `${field} must be an Ed25519 private key: PKCS#8 PEM or the 32-byte seed in base64 or hex`,
    );
  }
  assertEd25519(key, 'private', field);
  return key;
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  assertEd25519(privateKey, 'private', 'private_key');
  return createPublicKey(privateKey);
}

export function signBytes(privateKey: KeyObject, data: Uint8Array): Buffer {
  return sign(null, data, privateKey);
}

/** Ed25519 verification; false (never a throw) for a signature of the wrong length. */
export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
