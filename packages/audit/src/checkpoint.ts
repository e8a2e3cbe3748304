import type { KeyObject } from 'node:crypto';
import { AuditError } from './errors';
import { noteKeyId, publicKeyOf, signBytes, verifyBytes } from './keys';
import { HASH_BYTES } from './merkle';

/**
 * A signed checkpoint: the tree size and root hash of a shop's log at a time, signed with
 * Ed25519. The text is a C2SP tlog-checkpoint inside a C2SP signed note, so it can be read by
 * eye, pasted into an e-mail, and checked offline with node:crypto or with existing
 * transparency-log tools:
 *
 *     vitrine.audit/shop_8f2k…          origin: the log, one per shop
 *     1204                              tree size (entries 0..1203)
 *     q2m4…=                            root hash, base64
 *     time 2025-01-31T09:15:00.000Z     when it was signed (an extension line)
 *
 *     — vitrine.audit/shop_8f2k… AbCd…  key id (4 bytes) and signature, base64
 *
 * The signature covers the four body lines including the last newline.
 */
export interface Checkpoint {
  shopId: string;
  size: number;
  /** Root hash, hex. */
  rootHash: string;
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface SignedCheckpoint extends Checkpoint {
  origin: string;
  /** The signed note, exactly as published. */
  text: string;
}

const ORIGIN_PREFIX = 'vitrine.audit/';
const SHOP_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const EM_DASH = '\u2014';

/** The origin line, also the signing key's name, of a shop's log. */
export function checkpointOrigin(shopId: string): string {
  if (!SHOP_ID.test(shopId)) {
    throw new AuditError(
      'invalid_checkpoint',
      'shop_id',
      `shop id ${JSON.stringify(shopId)} is not a valid id`,
    );
  }
  return `${ORIGIN_PREFIX}${shopId}`;
}

/** The signed part of the note. */
export function checkpointBody(cp: Checkpoint): string {
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) {
    throw new AuditError('invalid_checkpoint', 'size', 'size must be a whole number >= 0');
  }
  if (!/^[0-9a-f]{64}$/.test(cp.rootHash)) {
    throw new AuditError('invalid_checkpoint', 'root_hash', 'root hash must be 64 hex digits');
  }
  if (!Number.isSafeInteger(cp.timestamp) || cp.timestamp < 0) {
    throw new AuditError('invalid_checkpoint', 'timestamp', 'timestamp must be epoch milliseconds');
  }
  const root = Buffer.from(cp.rootHash, 'hex').toString('base64');
  return `${checkpointOrigin(cp.shopId)}\n${cp.size}\n${root}\ntime ${new Date(cp.timestamp).toISOString()}\n`;
}

export function signCheckpoint(cp: Checkpoint, privateKey: KeyObject): SignedCheckpoint {
  const body = checkpointBody(cp);
  const origin = checkpointOrigin(cp.shopId);
  const keyId = noteKeyId(origin, publicKeyOf(privateKey));
  const signature = signBytes(privateKey, Buffer.from(body, 'utf8'));
  const line = `${EM_DASH} ${origin} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  return { ...cp, origin, text: `${body}\n${line}` };
}

interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

interface ParsedNote {
  checkpoint: SignedCheckpoint;
  body: string;
  signatures: NoteSignature[];
}

function malformed(message: string): AuditError {
  return new AuditError('invalid_checkpoint', 'checkpoint', `checkpoint: ${message}`);
}

/** Reads a checkpoint's text without checking its signature; throws `invalid_checkpoint`. */
export function parseCheckpoint(text: string): ParsedNote {
  if (typeof text !== 'string') throw malformed('must be the text of a signed checkpoint');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signature lines');
  const body = text.slice(0, split + 1);
  const sigText = text.slice(split + 2);
  if (!sigText.endsWith('\n')) throw malformed('the last signature line must end with a newline');

  const signatures: NoteSignature[] = [];
  for (const line of sigText.slice(0, -1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    const bytes = m ? Buffer.from(m[2]!, 'base64') : undefined;
    if (!m || bytes === undefined || bytes.length !== 68 || bytes.toString('base64') !== m[2]) {
      throw malformed(`not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
    }
    signatures.push({ name: m[1]!, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }

  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 4) throw malformed(`expected 4 lines before the blank line, found ${lines.length}`);
  const [origin, sizeText, rootText, timeLine] = lines as [string, string, string, string];
  if (!origin.startsWith(ORIGIN_PREFIX) || !SHOP_ID.test(origin.slice(ORIGIN_PREFIX.length))) {
    throw malformed(`origin ${JSON.stringify(origin)} is not ${ORIGIN_PREFIX}<shop id>`);
  }
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw malformed(`tree size ${JSON.stringify(sizeText)} is not a decimal number`);
  }
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_BYTES || root.toString('base64') !== rootText) {
    throw malformed('root hash is not 32 bytes in base64');
  }
  const time = /^time (\S+)$/.exec(timeLine);
  const timestamp = time ? Date.parse(time[1]!) : Number.NaN;
  if (!Number.isSafeInteger(timestamp) || new Date(timestamp).toISOString() !== time?.[1]) {
    throw malformed('the fourth line must be `time <ISO 8601 UTC time>`');
  }
  return {
    checkpoint: {
      shopId: origin.slice(ORIGIN_PREFIX.length),
      size: Number(sizeText),
      rootHash: root.toString('hex'),
      timestamp,
      origin,
      text,
    },
    body,
    signatures,
  };
}

export type CheckpointCheck =
  | { ok: true; checkpoint: SignedCheckpoint }
  | { ok: false; reason: 'malformed' | 'not_signed_by_key' | 'bad_signature'; message: string };

/**
 * Reads a checkpoint and checks it carries a valid signature by `publicKey` under the log's
 * name. Signature lines of other keys (witnesses, an older key) are ignored, as the signed-note
 * format asks.
 */
export function openCheckpoint(text: string, publicKey: KeyObject): CheckpointCheck {
  let parsed: ParsedNote;
  try {
    parsed = parseCheckpoint(text);
  } catch (e) {
    return { ok: false, reason: 'malformed', message: (e as Error).message };
  }
  const { checkpoint, body, signatures } = parsed;
  const keyId = noteKeyId(checkpoint.origin, publicKey);
  const mine = signatures.filter((s) => s.name === checkpoint.origin && s.keyId.equals(keyId));
  if (mine.length === 0) {
    return { ok: false, reason: 'not_signed_by_key', message: 'no signature by this public key' };
  }
  for (const s of mine) {
    if (!verifyBytes(publicKey, Buffer.from(body, 'utf8'), s.signature)) {
      return { ok: false, reason: 'bad_signature', message: 'the signature does not match the checkpoint' };
    }
  }
  return { ok: true, checkpoint };
}
