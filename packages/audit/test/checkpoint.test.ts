import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointBody,
  exportPrivateKey,
  exportPublicKey,
  importPrivateKey,
  importPublicKey,
  isAuditError,
  noteKeyId,
  noteVerifierKey,
  openCheckpoint,
  parseCheckpoint,
  publicKeyOf,
  rawPublicKey,
  signCheckpoint,
  verifyBytes,
} from '../src/index';
import { keys, otherKeys, SHOP, T0 } from './fixtures';

const ROOT = 'ab'.repeat(32);
const cp = { shopId: SHOP, size: 1204, rootHash: ROOT, timestamp: T0 };

function errorOf(fn: () => unknown): { code: string; field: string } {
  try {
    fn();
  } catch (e) {
    if (isAuditError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected an AuditError');
}

describe('D5: signed checkpoints', () => {
  it('are a C2SP checkpoint in a signed note: origin, size, base64 root, time; then the signature line', () => {
    const signed = signCheckpoint(cp, keys.privateKey);
    const lines = signed.text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `vitrine.audit/${SHOP}`,
      '1204',
      Buffer.from(ROOT, 'hex').toString('base64'),
      'time 2025-01-31T09:00:00.000Z',
      '',
    ]);
    expect(lines[5]).toMatch(new RegExp(`^\u2014 vitrine\\.audit/${SHOP} [A-Za-z0-9+/]{91}=$`));
    expect(lines[6]).toBe('');
    // The signature is Ed25519 over the body, after the 4-byte key id.
    const sigBytes = Buffer.from(lines[5]!.split(' ')[2]!, 'base64');
    expect(sigBytes.subarray(0, 4)).toEqual(noteKeyId(`vitrine.audit/${SHOP}`, keys.publicKey));
    expect(verifyBytes(keys.publicKey, Buffer.from(checkpointBody(cp)), sigBytes.subarray(4))).toBe(true);
  });

  it('open with the right key and give back what was signed', () => {
    const signed = signCheckpoint(cp, keys.privateKey);
    const opened = openCheckpoint(signed.text, keys.publicKey);
    expect(opened).toEqual({
      ok: true,
      checkpoint: { ...cp, origin: `vitrine.audit/${SHOP}`, text: signed.text },
    });
    expect(parseCheckpoint(signed.text).checkpoint).toEqual(signed);
  });

  it('D5: a changed size, root, time or origin breaks the signature', () => {
    const { text } = signCheckpoint(cp, keys.privateKey);
    const rootB64 = Buffer.from(ROOT, 'hex').toString('base64');
    const variants = [
      text.replace('\n1204\n', '\n1203\n'),
      text.replace(rootB64, Buffer.from('cd'.repeat(32), 'hex').toString('base64')),
      text.replace('09:00:00.000Z', '09:00:01.000Z'),
    ];
    for (const v of variants) {
      expect(v).not.toBe(text);
      expect(openCheckpoint(v, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
    }
    // Another origin is another key name: the signature line no longer belongs to it.
    const moved = text.replaceAll(`vitrine.audit/${SHOP}`, 'vitrine.audit/shop_other');
    expect(openCheckpoint(moved, keys.publicKey)).toMatchObject({ ok: false, reason: 'not_signed_by_key' });
  });

  it('D5: another key is refused, a flipped signature bit too', () => {
    const { text } = signCheckpoint(cp, keys.privateKey);
    expect(openCheckpoint(text, otherKeys.publicKey)).toMatchObject({
      ok: false,
      reason: 'not_signed_by_key',
    });
    const line = text.split('\n')[5]!;
    const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
    bytes[40]! ^= 0x01;
    const flipped = text.replace(line.split(' ')[2]!, bytes.toString('base64'));
    expect(openCheckpoint(flipped, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('a second signature line by another key (a witness) is ignored', () => {
    const { text } = signCheckpoint(cp, keys.privateKey);
    const witness = signCheckpoint(cp, otherKeys.privateKey).text.split('\n')[5]!;
    expect(openCheckpoint(`${text}${witness}\n`, keys.publicKey).ok).toBe(true);
    expect(openCheckpoint(`${text}${witness}\n`, otherKeys.publicKey).ok).toBe(true);
  });

  it('malformed texts say what is wrong', () => {
    const { text } = signCheckpoint(cp, keys.privateKey);
    const cases: [string, RegExp][] = [
      [text.replace('\n\n', '\n'), /blank line/],
      [text.replace('1204', '01204'), /tree size/],
      [text.replace('time ', 'when '), /time/],
      [text.replace('vitrine.audit/', 'other/'), /origin/],
      [text.slice(0, -1), /newline/],
      [text.replace('\u2014', '--'), /signature line/],
    ];
    for (const [t, why] of cases) {
      const r = openCheckpoint(t, keys.publicKey);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toBe('malformed');
        expect(r.message).toMatch(why);
      }
    }
    expect(errorOf(() => signCheckpoint({ ...cp, rootHash: 'xyz' }, keys.privateKey))).toEqual({
      code: 'invalid_checkpoint',
      field: 'root_hash',
    });
    expect(errorOf(() => signCheckpoint({ ...cp, shopId: 'shop with space' }, keys.privateKey)).field).toBe(
      'shop_id',
    );
  });
});

describe('D5: checkpoint keys', () => {
  it('export and import in every published form', () => {
    const exported = exportPublicKey(keys.publicKey);
    expect(exported.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const raw = rawPublicKey(keys.publicKey);
    expect(raw).toHaveLength(32);
    expect(exported.base64).toBe(raw.toString('base64'));
    const vkey = noteVerifierKey(`vitrine.audit/${SHOP}`, keys.publicKey);
    expect(vkey).toMatch(new RegExp(`^vitrine\\.audit/${SHOP}\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}$`));
    for (const form of [
      exported.pem,
      exported.base64,
      raw.toString('hex'),
      raw.toString('base64url'),
      vkey,
    ]) {
      expect(rawPublicKey(importPublicKey(form))).toEqual(raw);
    }
    const pem = exportPrivateKey(keys.privateKey);
    expect(rawPublicKey(publicKeyOf(importPrivateKey(pem)))).toEqual(raw);
  });

  it('a private key from its 32-byte seed signs like the original', () => {
    const seed = (keys.privateKey.export({ format: 'jwk' }) as { d: string }).d;
    const again = importPrivateKey(Buffer.from(seed, 'base64url').toString('base64'));
    const msg = Buffer.from('checkpoint');
    expect(sign(null, msg, again)).toEqual(sign(null, msg, keys.privateKey));
  });

  it('verifies the RFC 8032 Ed25519 test vector 1 from the raw public key', () => {
    const pub = importPublicKey('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const sig = Buffer.from(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      'hex',
    );
    expect(verifyBytes(pub, Buffer.alloc(0), sig)).toBe(true);
    expect(verifyBytes(pub, Buffer.from([0]), sig)).toBe(false);
    expect(verifyBytes(pub, Buffer.alloc(0), sig.subarray(1))).toBe(false);
  });

  it('refuses unreadable keys with invalid_key and the field', () => {
    expect(errorOf(() => importPublicKey('not a key'))).toEqual({ code: 'invalid_key', field: 'public_key' });
    expect(
      errorOf(() => importPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')),
    ).toEqual({
      code: 'invalid_key',
      field: 'public_key',
    });
    const vkey = noteVerifierKey('vitrine.audit/x', keys.publicKey);
    const wrongId = vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    expect(errorOf(() => importPublicKey(wrongId)).code).toBe('invalid_key');
    // A private key where a public one is expected, and an RSA key, are refused.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      errorOf(() => importPrivateKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()))
        .code,
    ).toBe('invalid_key');
    expect(
      errorOf(() => importPublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString())).code,
    ).toBe('invalid_key');
    expect(errorOf(() => rawPublicKey(keys.privateKey)).code).toBe('invalid_key');
    expect(errorOf(() => importPrivateKey('abc', 'VITRINE_AUDIT_KEY'))).toEqual({
      code: 'invalid_key',
      field: 'VITRINE_AUDIT_KEY',
    });
  });
});
