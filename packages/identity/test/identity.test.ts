import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSubjectKey,
  decryptField,
  encryptField,
  fromText,
  generateMasterKey,
  IDENTITY_FIELDS,
  type IdentityField,
  IdentityVault,
  identityStartCheck,
  isIdentityError,
  MasterKey,
  MasterKeyring,
  MemoryIdentityStore,
  parseMasterKey,
  parseMasterKeyring,
  rewrapSubjectKey,
  toText,
  unwrapSubjectKey,
  wrappedKeyMasterId,
} from '../src/index';

const HEX_KEY = 'a3f1c09b7e5d2846a3f1c09b7e5d2846b4e2d1a08f6e3957c5d3e2b19a7f4068';
const master = parseMasterKey(HEX_KEY);
const keyring = new MasterKeyring(master);
const otherMaster = parseMasterKey(generateMasterKey());
const ANA = { shopId: 'shop_a', subjectId: 'sub_ana' };
const BEN = { shopId: 'shop_a', subjectId: 'sub_ben' };
const ANA_OTHER_SHOP = { shopId: 'shop_b', subjectId: 'sub_ana' };
const ANA_IDENTITY = { email: 'ana@example.org', name: 'Ana Weiß', address: 'Lindenstraße 4, 10115 Berlin' };

function errorOf(fn: () => unknown): { code: string; field: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isIdentityError(e)) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected an IdentityError');
}

async function errorOfAsync(p: Promise<unknown>): Promise<{ code: string; field: string }> {
  try {
    await p;
  } catch (e) {
    if (isIdentityError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected an IdentityError');
}

function flip(b: Uint8Array, index: number, bit = 0): Buffer {
  const c = Buffer.from(b);
  c[index]! ^= 1 << bit;
  return c;
}

describe('D3: master key from configuration', () => {
  it('reads 32 bytes as hex, base64 or base64url, with or without a prefix', () => {
    const bytes = Buffer.from(HEX_KEY, 'hex');
    for (const text of [
      HEX_KEY,
      HEX_KEY.toUpperCase(),
      `hex:${HEX_KEY}`,
      bytes.toString('base64'),
      `base64:${bytes.toString('base64')}`,
      bytes.toString('base64url'),
      `  ${HEX_KEY}\n`,
    ]) {
      expect(parseMasterKey(text).id).toBe(master.id);
    }
    expect(master.id).toMatch(/^[0-9a-f]{8}$/);
    expect(parseMasterKey(generateMasterKey()).id).not.toBe(master.id);
  });

  it('refuses missing, short, long, non-encoded and placeholder keys with clear errors', () => {
    expect(errorOf(() => parseMasterKey(undefined))).toEqual({
      code: 'master_key_missing',
      field: 'VITRINE_MASTER_KEY',
      message: 'VITRINE_MASTER_KEY is not set: generate one with `openssl rand -base64 32`',
    });
    expect(errorOf(() => parseMasterKey('   ')).code).toBe('master_key_missing');
    expect(errorOf(() => parseMasterKey(randomBytes(16).toString('base64')))).toMatchObject({
      code: 'master_key_invalid',
      message: expect.stringMatching(/decodes to 16 bytes; it must be 32/),
    });
    expect(errorOf(() => parseMasterKey(randomBytes(48).toString('base64'))).message).toMatch(/48 bytes/);
    expect(errorOf(() => parseMasterKey('hex:abc')).message).toMatch(/not valid hex/);
    expect(errorOf(() => parseMasterKey('correct horse battery staple')).message).toMatch(
      /must be 32 bytes as 64 hex digits or base64/,
    );
    expect(errorOf(() => parseMasterKey('0'.repeat(64))).message).toMatch(/placeholder/);
    expect(errorOf(() => parseMasterKey('x', 'MY_SETTING')).field).toBe('MY_SETTING');
  });

  it('never prints the key', () => {
    const shown = [String(master), JSON.stringify({ master }), inspect(master), inspect({ k: master })].join(
      ' ',
    );
    expect(shown).toContain(master.id);
    expect(shown).not.toContain(HEX_KEY);
    expect(shown).not.toContain(Buffer.from(HEX_KEY, 'hex').toString('base64'));
    const { key } = createSubjectKey(keyring, ANA);
    expect(inspect(key)).toBe('SubjectKey(…)');
  });

  it('reads a keyring of the current and previous keys, naming the bad one', () => {
    const ring = parseMasterKeyring(generateMasterKey(), `${HEX_KEY}, ${generateMasterKey()}`);
    expect(ring.ids).toHaveLength(3);
    expect(ring.get(master.id)).toBeDefined();
    expect(errorOf(() => parseMasterKeyring(HEX_KEY, `${generateMasterKey()} nope`)).field).toBe(
      'VITRINE_MASTER_KEY_PREVIOUS[1]',
    );
  });

  it('D3: production refuses to start without a master key; development runs with the store off', () => {
    const refused = identityStartCheck('production', {});
    expect(refused).toMatchObject({ ok: false, code: 'master_key_missing', field: 'VITRINE_MASTER_KEY' });
    if (!refused.ok) expect(refused.message).toMatch(/^refusing to start in production without a master key/);
    expect(identityStartCheck('production', { masterKey: ' ' }).ok).toBe(false);
    expect(identityStartCheck('production', { masterKey: HEX_KEY })).toMatchObject({
      ok: true,
      identityStore: 'enabled',
    });
    expect(identityStartCheck('development', {})).toMatchObject({ ok: true, identityStore: 'disabled' });
    expect(identityStartCheck('test', {})).toMatchObject({ ok: true, identityStore: 'disabled' });
    // A key that is set but broken stops every mode.
    for (const mode of ['production', 'development', 'test'] as const) {
      expect(identityStartCheck(mode, { masterKey: 'short' })).toMatchObject({
        ok: false,
        code: 'master_key_invalid',
      });
    }
    expect(identityStartCheck('production', { masterKey: HEX_KEY, previousMasterKeys: 'bad' })).toMatchObject(
      {
        ok: false,
        field: 'VITRINE_MASTER_KEY_PREVIOUS[0]',
      },
    );
  });
});

describe('D3: envelope encryption', () => {
  it('round-trips every field, any text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 300, unit: 'grapheme' }),
        fc.constantFrom(...IDENTITY_FIELDS),
        (text, field) => {
          const { key, wrapped } = createSubjectKey(keyring, ANA);
          const sealed = encryptField(key, ANA, field, text);
          const again = unwrapSubjectKey(keyring, ANA, fromText(toText(wrapped)));
          expect(decryptField(again, ANA, field, fromText(toText(sealed)))).toBe(text);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('has the documented versioned byte format, and a fresh nonce every time', () => {
    const { key, wrapped } = createSubjectKey(keyring, ANA);
    expect(wrapped).toHaveLength(66);
    expect([...wrapped.subarray(0, 2)]).toEqual([0x01, 0x4b]);
    expect(wrapped.subarray(2, 6).toString('hex')).toBe(master.id);
    expect(wrappedKeyMasterId(wrapped)).toBe(master.id);
    const a = encryptField(key, ANA, 'email', ANA_IDENTITY.email);
    const b = encryptField(key, ANA, 'email', ANA_IDENTITY.email);
    expect([...a.subarray(0, 2)]).toEqual([0x01, 0x46]);
    expect(a).toHaveLength(2 + 12 + Buffer.byteLength(ANA_IDENTITY.email) + 16);
    expect(a.subarray(2, 14)).not.toEqual(b.subarray(2, 14));
    expect(a).not.toEqual(b);
    expect(a.includes(Buffer.from('ana@'))).toBe(false);
  });

  it('D3: any single-bit change of a field (header, nonce, ciphertext, tag) fails to decrypt', () => {
    const { key } = createSubjectKey(keyring, ANA);
    const sealed = encryptField(key, ANA, 'name', ANA_IDENTITY.name);
    // Every bit of every byte: header (0-1), nonce (2-13), ciphertext, tag (last 16).
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const code = errorOf(() => decryptField(key, ANA, 'name', flip(sealed, i, bit))).code;
        expect(code, `byte ${i} bit ${bit}`).toBe(i < 2 ? 'unsupported_format' : 'tampered');
      }
    }
    expect(errorOf(() => decryptField(key, ANA, 'name', sealed.subarray(0, 20))).code).toBe(
      'unsupported_format',
    );
  });

  it('D3: a field moved to another field, subject or shop fails to decrypt (AAD)', () => {
    const { key } = createSubjectKey(keyring, ANA);
    const sealed = encryptField(key, ANA, 'email', ANA_IDENTITY.email);
    expect(errorOf(() => decryptField(key, ANA, 'name', sealed))).toMatchObject({
      code: 'tampered',
      field: 'name',
    });
    expect(errorOf(() => decryptField(key, BEN, 'email', sealed)).code).toBe('tampered');
    expect(errorOf(() => decryptField(key, ANA_OTHER_SHOP, 'email', sealed)).code).toBe('tampered');
    // Another subject's key does not open it either.
    const ben = createSubjectKey(keyring, BEN).key;
    expect(errorOf(() => decryptField(ben, ANA, 'email', sealed)).code).toBe('tampered');
  });

  it('D3: a wrapped key moved to another subject or shop, or changed, fails to unwrap', () => {
    const { wrapped } = createSubjectKey(keyring, ANA);
    expect(errorOf(() => unwrapSubjectKey(keyring, BEN, wrapped)).code).toBe('tampered');
    expect(errorOf(() => unwrapSubjectKey(keyring, ANA_OTHER_SHOP, wrapped)).code).toBe('tampered');
    // Every bit after the version and type: the master key id (2-5) names an unknown key.
    for (let i = 2; i < wrapped.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const code = errorOf(() => unwrapSubjectKey(keyring, ANA, flip(wrapped, i, bit))).code;
        expect(code, `byte ${i} bit ${bit}`).toBe(i < 6 ? 'unknown_master_key' : 'tampered');
      }
    }
    expect(errorOf(() => unwrapSubjectKey(keyring, ANA, flip(wrapped, 0))).code).toBe('unsupported_format');
    expect(errorOf(() => unwrapSubjectKey(keyring, ANA, wrapped.subarray(0, 65))).code).toBe(
      'unsupported_format',
    );
    expect(errorOf(() => fromText('not base64url!')).code).toBe('unsupported_format');
  });

  it('D3: the wrong master key fails: unknown id, or the same id forged', () => {
    const { wrapped } = createSubjectKey(keyring, ANA);
    const e = errorOf(() => unwrapSubjectKey(new MasterKeyring(otherMaster), ANA, wrapped));
    expect(e.code).toBe('unknown_master_key');
    expect(e.message).toContain(master.id);
    // An attacker relabels the wrapped key with the id of the key they hold: authentication fails.
    const relabelled = Buffer.from(wrapped);
    Buffer.from(otherMaster.id, 'hex').copy(relabelled, 2);
    expect(errorOf(() => unwrapSubjectKey(new MasterKeyring(otherMaster), ANA, relabelled)).code).toBe(
      'tampered',
    );
  });

  it('rewraps under the current master key without changing the subject key', () => {
    const { key, wrapped } = createSubjectKey(keyring, ANA);
    const sealed = encryptField(key, ANA, 'address', ANA_IDENTITY.address);
    const both = new MasterKeyring(otherMaster, [master]);
    const rewrapped = rewrapSubjectKey(both, ANA, wrapped);
    expect(wrappedKeyMasterId(rewrapped)).toBe(otherMaster.id);
    const onlyNew = new MasterKeyring(otherMaster);
    expect(decryptField(unwrapSubjectKey(onlyNew, ANA, rewrapped), ANA, 'address', sealed)).toBe(
      ANA_IDENTITY.address,
    );
    expect(rewrapSubjectKey(onlyNew, ANA, rewrapped)).toEqual(rewrapped);
  });
});

describe('D3, R4: identity vault', () => {
  it('stores identity fields encrypted and reads them back; updates and removes single fields', async () => {
    const store = new MemoryIdentityStore();
    const vault = new IdentityVault(store, keyring);
    expect(await vault.get(ANA)).toEqual({ status: 'none' });
    await vault.set(ANA, ANA_IDENTITY);
    expect(await vault.get(ANA)).toEqual({ status: 'present', identity: ANA_IDENTITY });
    await vault.set(ANA, { name: 'Ana Weiß-Berg', address: null });
    expect(await vault.get(ANA)).toEqual({
      status: 'present',
      identity: { email: ANA_IDENTITY.email, name: 'Ana Weiß-Berg' },
    });
    // Nothing readable in the store.
    const bytes = Buffer.concat([
      ...store.keys.values(),
      ...[...store.fields.values()].flatMap((m) => [...m.values()]),
    ]);
    for (const secret of ['ana@example.org', 'Ana', 'Lindenstraße'])
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('refuses unknown fields and bad values, naming the field, and stores nothing', async () => {
    const store = new MemoryIdentityStore();
    const vault = new IdentityVault(store, keyring);
    const bad: [Record<string, unknown>, string][] = [
      [{ phone: '123' }, 'phone'],
      [{ email: 'not-an-email' }, 'email'],
      [{ name: '' }, 'name'],
      [{ address: 'x'.repeat(1001) }, 'address'],
      [{ name: 42 }, 'name'],
    ];
    for (const [identity, field] of bad) {
      expect(await errorOfAsync(vault.set(ANA, identity as never))).toEqual({ code: 'invalid_field', field });
    }
    expect(store.keys.size + store.fields.size).toBe(0);
  });

  it('R4: shredding destroys the key: the data is unreadable, even from a backup copy of the fields', async () => {
    const store = new MemoryIdentityStore();
    const vault = new IdentityVault(store, keyring);
    await vault.set(ANA, ANA_IDENTITY);
    await vault.set(BEN, { email: 'ben@example.org' });
    const backup = await store.getFields(ANA);

    expect(await vault.shred(ANA)).toEqual({ keyDestroyed: true, fieldsDeleted: 3 });
    expect(await vault.get(ANA)).toEqual({ status: 'none' });
    expect(await vault.shred(ANA)).toEqual({ keyDestroyed: false, fieldsDeleted: 0 });

    // The backup is restored: the fields are back, the key is not.
    await store.putFields(ANA, backup);
    expect(await vault.get(ANA)).toEqual({ status: 'shredded', fields: ['address', 'email', 'name'] });
    // No key there is opens them: not the master key, not another subject's, not a new one of Ana's.
    const ben = unwrapSubjectKey(keyring, BEN, (await store.getKey(BEN))!);
    const fresh = createSubjectKey(keyring, ANA).key;
    for (const key of [ben, fresh]) {
      for (const f of ['email', 'name', 'address'] as IdentityField[]) {
        expect(errorOf(() => decryptField(key, ANA, f, backup[f]!)).code).toBe('tampered');
      }
    }
    // Other subjects are untouched.
    expect(await vault.get(BEN)).toEqual({ status: 'present', identity: { email: 'ben@example.org' } });
  });

  it('R4: a new identity after an erasure gets a new key, and leftover fields of the old one are dropped', async () => {
    const store = new MemoryIdentityStore();
    const vault = new IdentityVault(store, keyring);
    await vault.set(ANA, ANA_IDENTITY);
    const oldKey = await store.getKey(ANA);
    // An erasure that destroyed the key and stopped before deleting the fields.
    await store.deleteKey(ANA);
    await vault.set(ANA, { email: 'neu@example.org' });
    expect(await store.getKey(ANA)).not.toEqual(oldKey);
    expect(await vault.get(ANA)).toEqual({ status: 'present', identity: { email: 'neu@example.org' } });
  });

  it('two first writes of the same subject agree on one key', async () => {
    const store = new MemoryIdentityStore();
    const added: boolean[] = [];
    const addKey = store.addKey.bind(store);
    store.addKey = async (ref, wrapped) => {
      const ok = await addKey(ref, wrapped);
      added.push(ok);
      return ok;
    };
    const one = new IdentityVault(store, keyring);
    const two = new IdentityVault(store, keyring);
    await Promise.all([
      one.set(ANA, { email: ANA_IDENTITY.email }),
      two.set(ANA, { name: ANA_IDENTITY.name }),
    ]);
    expect(await one.get(ANA)).toEqual({
      status: 'present',
      identity: { email: ANA_IDENTITY.email, name: ANA_IDENTITY.name },
    });
    // Both tried to create the key; one lost and used the winner's.
    expect(added.sort()).toEqual([false, true]);
  });

  it('D3: rotating the master key rewraps every key and leaves the data untouched; reruns are no-ops', async () => {
    const store = new MemoryIdentityStore();
    await new IdentityVault(store, keyring).set(ANA, ANA_IDENTITY);
    for (let i = 0; i < 7; i++) {
      await new IdentityVault(store, keyring).set(
        { shopId: `shop_${i % 2}`, subjectId: `sub_${i}` },
        { name: `N ${i}` },
      );
    }
    const snapshot = () =>
      [...store.fields.entries()].map(([k, m]) => [k, [...m].map(([f, v]) => [f, v.toString('hex')])]);
    const fieldsBefore = snapshot();
    const rotating = new IdentityVault(store, new MasterKeyring(otherMaster, [master]));
    expect(await rotating.rotate({ batch: 3 })).toEqual({ rewrapped: 8, current: 0 });
    expect([...store.keys.values()].every((w) => wrappedKeyMasterId(w) === otherMaster.id)).toBe(true);
    expect(snapshot()).toEqual(fieldsBefore);
    expect(await rotating.rotate({ batch: 3 })).toEqual({ rewrapped: 0, current: 8 });
    // The old key can go.
    const after = new IdentityVault(store, new MasterKeyring(otherMaster));
    expect(await after.get(ANA)).toEqual({ status: 'present', identity: ANA_IDENTITY });
    expect(await errorOfAsync(new IdentityVault(store, keyring).get(ANA))).toEqual({
      code: 'unknown_master_key',
      field: 'wrapped key',
    });
  });

  it('D3: a field swapped between two subjects in the store is detected on read', async () => {
    const store = new MemoryIdentityStore();
    const vault = new IdentityVault(store, keyring);
    await vault.set(ANA, { email: ANA_IDENTITY.email });
    await vault.set(BEN, { email: 'ben@example.org' });
    const anaEmail = (await store.getFields(ANA)).email!;
    await store.putFields(BEN, { email: anaEmail });
    expect(await errorOfAsync(vault.get(BEN))).toEqual({ code: 'tampered', field: 'email' });
    // And a wrapped key swapped between them.
    const store2 = new MemoryIdentityStore();
    const vault2 = new IdentityVault(store2, keyring);
    await vault2.set(ANA, { name: 'A' });
    await vault2.set(BEN, { name: 'B' });
    await store2.putKey(BEN, (await store2.getKey(ANA))!);
    expect(await errorOfAsync(vault2.get(BEN))).toEqual({ code: 'tampered', field: 'wrapped key' });
  });

  it('MasterKey.fromBytes copies: wiping the caller buffer does not change the key', () => {
    const bytes = Buffer.from(HEX_KEY, 'hex');
    const k = MasterKey.fromBytes(bytes);
    const { wrapped } = createSubjectKey(k, ANA);
    bytes.fill(0);
    expect(() => unwrapSubjectKey(new MasterKeyring(k), ANA, wrapped)).not.toThrow();
  });
});
