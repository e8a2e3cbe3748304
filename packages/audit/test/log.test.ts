import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuditLog,
  type AuditStore,
  canonicalJson,
  entryHashHex,
  entryText,
  hashSubject,
  isAuditError,
  MemoryAuditStore,
  nextEntry,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '../src/index';
import { keys, otherKeys, SHOP, T0 } from './fixtures';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; field: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isAuditError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected an AuditError');
}

function newLog<S extends AuditStore = MemoryAuditStore>(store: S = new MemoryAuditStore() as unknown as S) {
  let now = T0;
  const log = new AuditLog(store, { signingKey: keys.privateKey, now: () => (now += 1000) });
  return { log, store };
}

describe('D5: AuditLog', () => {
  it('appends chained entries with seq from 0, signs checkpoints and verifies', async () => {
    const { log } = newLog();
    const a = await log.append(SHOP, { kind: 'policy_change', data: { notice_version: 1 } });
    const b = await log.append(SHOP, { kind: 'consent_change', subject: 'sub_abc', data: { level: 2 } });
    expect(a).toMatchObject({ seq: 0, shop_id: SHOP, subject: null, prev: '0'.repeat(64) });
    expect(b.seq).toBe(1);
    const cp = await log.checkpoint(SHOP);
    expect(cp).toMatchObject({ shopId: SHOP, size: 2 });
    // Nothing new: the same checkpoint comes back, unless forced.
    expect(await log.checkpoint(SHOP)).toEqual(cp);
    expect((await log.checkpoint(SHOP, { force: true })).timestamp).toBeGreaterThan(cp.timestamp);
    expect(await log.verify(SHOP)).toMatchObject({ ok: true, entries: 2, anchored: 2 });
    expect(await log.verify(SHOP, otherKeys.publicKey)).toMatchObject({
      ok: false,
      problem: { code: 'bad_signature' },
    });
  });

  it('keeps each shop a log of its own', async () => {
    const { log } = newLog();
    await log.append(SHOP, { kind: 'model_rebuild', data: { model: 'cooc' } });
    const other = await log.append('shop_other', { kind: 'model_rebuild', data: { model: 'cooc' } });
    expect(other.seq).toBe(0);
    await log.checkpoint('shop_other');
    expect(await log.verify('shop_other')).toMatchObject({ ok: true, entries: 1 });
  });

  it('D5: concurrent appends, from this process and another, never fork the log', async () => {
    const store = new MemoryAuditStore();
    let conflicts = 0;
    const append = store.append.bind(store);
    store.append = async (shopId, entries) => {
      try {
        await append(shopId, entries);
      } catch (e) {
        conflicts++;
        throw e;
      }
    };
    const one = new AuditLog(store, { signingKey: keys.privateKey, retries: 50 });
    const two = new AuditLog(store, { signingKey: keys.privateKey, retries: 50 });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? one : two).append(SHOP, { kind: 'export_read', subject: `sub_s${i}`, data: { i } }),
      ),
    );
    const rows = store.unsafeRows(SHOP);
    expect(rows.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // The two writers did collide, and the store's unique seq turned each collision into a retry.
    expect(conflicts).toBeGreaterThan(0);
    await one.checkpoint(SHOP);
    expect(await two.verify(SHOP, keys.publicKey)).toMatchObject({ ok: true, entries: 30 });
  });

  it('D5: the store refuses an entry whose seq is taken', async () => {
    const store = new MemoryAuditStore();
    const e = nextEntry(SHOP, undefined, { kind: 'erasure', ts: T0 });
    await store.append(SHOP, [e]);
    expect(await codeOf(store.append(SHOP, [e]))).toEqual({ code: 'conflict', field: 'seq' });
  });

  it('D5: refuses personal data and non-pseudonymous subjects, naming the field', async () => {
    const { log, store } = newLog();
    expect(await codeOf(log.append(SHOP, { kind: 'rights_request', data: { email: 'x' } }))).toEqual({
      code: 'personal_data',
      field: 'data.email',
    });
    expect(
      await codeOf(log.append(SHOP, { kind: 'rights_request', data: { note: ['ok', 'ana@example.org'] } })),
    ).toEqual({
      code: 'personal_data',
      field: 'data.note[1]',
    });
    expect(await codeOf(log.append(SHOP, { kind: 'admin_access', data: { from: '203.0.113.7' } }))).toEqual({
      code: 'personal_data',
      field: 'data.from',
    });
    expect(await codeOf(log.append(SHOP, { kind: 'erasure', subject: 'ana@example.org' }))).toEqual({
      code: 'invalid_subject',
      field: 'subject',
    });
    expect(await codeOf(log.append(SHOP, { kind: 'nope' as 'erasure', subject: null }))).toEqual({
      code: 'invalid_entry',
      field: 'kind',
    });
    expect(await codeOf(log.append(SHOP, { kind: 'erasure', data: { at: undefined } as never }))).toEqual({
      code: 'invalid_entry',
      field: 'data',
    });
    expect(await codeOf(log.append(SHOP, { kind: 'erasure', data: { n: Number.NaN } }))).toEqual({
      code: 'invalid_entry',
      field: 'data',
    });
    // Nothing was stored.
    expect(store.unsafeRows(SHOP)).toHaveLength(0);
    // A hashed subject is accepted: the proof that outlives an erasure (R4).
    const h = hashSubject(SHOP, 'sub_abc');
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await log.append(SHOP, { kind: 'erasure', subject: h, data: { events: 12 } })).subject).toBe(h);
  });

  it('D5: an inclusion proof verifies offline for every entry, and fails for a changed entry', async () => {
    const { log } = newLog();
    for (let i = 0; i < 13; i++) {
      await log.append(SHOP, { kind: 'consent_change', subject: `sub_c${i}`, data: { level: i % 4 } });
    }
    const cp = await log.checkpoint(SHOP);
    for (let seq = 0; seq < 13; seq++) {
      const proof = await log.prove(SHOP, seq);
      expect(proof).toMatchObject({
        format: 'vitrine-audit-inclusion/1',
        leaf_index: seq,
        tree_size: 13,
        checkpoint: cp.text,
      });
      const r = verifyInclusionProof(proof, keys.publicKey);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.entry.subject).toBe(`sub_c${seq}`);
    }
    const proof = await log.prove(SHOP, 4);
    const leaf = JSON.parse(proof.leaf);
    const changed = { ...proof, leaf: canonicalJson({ ...leaf, data: { level: 3 } }) };
    expect(verifyInclusionProof(changed, keys.publicKey)).toMatchObject({
      ok: false,
      reason: 'not_included',
    });
    expect(
      verifyInclusionProof({ ...proof, leaf: JSON.stringify(leaf, null, 1) }, keys.publicKey),
    ).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyInclusionProof(proof, otherKeys.publicKey)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyInclusionProof({ ...proof, leaf_index: 5 }, keys.publicKey)).toMatchObject({ ok: false });
    expect(verifyInclusionProof({ ...proof, path: proof.path.slice(1) }, keys.publicKey)).toMatchObject({
      ok: false,
    });
  });

  it('D5: entries after the latest checkpoint cannot be proven until the next one', async () => {
    const { log } = newLog();
    await log.append(SHOP, { kind: 'erasure' });
    expect(await codeOf(log.prove(SHOP, 0))).toEqual({ code: 'not_found', field: 'checkpoint' });
    await log.checkpoint(SHOP);
    await log.append(SHOP, { kind: 'erasure' });
    expect(await codeOf(log.prove(SHOP, 1))).toEqual({ code: 'not_found', field: 'seq' });
    await log.checkpoint(SHOP);
    expect((await log.prove(SHOP, 1)).tree_size).toBe(2);
    // Against an older checkpoint on request.
    expect((await log.prove(SHOP, 0, { checkpointSize: 1 })).tree_size).toBe(1);
  });

  it('D5: consistency proofs between every pair of checkpoints verify', async () => {
    const { log } = newLog();
    const sizes: number[] = [];
    for (let i = 1; i <= 9; i++) {
      await log.append(SHOP, { kind: 'model_rebuild', data: { i } });
      if (i % 2 === 1) sizes.push((await log.checkpoint(SHOP)).size);
    }
    for (const a of sizes) {
      for (const b of sizes.filter((s) => s >= a)) {
        const proof = await log.proveConsistency(SHOP, a, b);
        expect(verifyConsistencyProof(proof, keys.publicKey)).toMatchObject({ ok: true });
      }
    }
    const proof = await log.proveConsistency(SHOP, 3);
    expect(
      verifyConsistencyProof({ ...proof, path: [proof.path[1], proof.path[0]] }, keys.publicKey),
    ).toMatchObject({
      ok: false,
      reason: 'inconsistent',
    });
  });

  it('D5: refuses to extend or prove from a stored log that was tampered with', async () => {
    const store = new MemoryAuditStore();
    const { log } = newLog(store);
    for (let i = 0; i < 5; i++) await log.append(SHOP, { kind: 'erasure', data: { i } });
    await log.checkpoint(SHOP);
    const rows = store.unsafeRows(SHOP);
    rows[2] = { ...rows[2]!, data: { i: 20 } };
    // A fresh process reads the tampered log.
    const fresh = newLog(store).log;
    expect(await codeOf(fresh.append(SHOP, { kind: 'erasure' }))).toEqual({
      code: 'log_damaged',
      field: 'seq',
    });
    // The running process still holds the tree it built: its proof of entry 2 refuses the changed row.
    expect(await codeOf(log.prove(SHOP, 2))).toEqual({ code: 'log_damaged', field: 'seq' });
    expect(await log.verify(SHOP)).toMatchObject({ ok: false, problem: { code: 'changed', seq: 2 } });
  });

  it('D5: never signs a checkpoint over a log rewritten since the last one', async () => {
    const store = new MemoryAuditStore();
    const { log } = newLog(store);
    for (let i = 0; i < 4; i++) await log.append(SHOP, { kind: 'erasure', data: { i } });
    await log.checkpoint(SHOP);
    // Entry 1 rewritten and the chain recomputed after it: the chain alone looks fine.
    const rows = store.unsafeRows(SHOP);
    rows[1] = { ...rows[1]!, data: { i: 100 } };
    for (let i = 2; i < rows.length; i++) rows[i] = { ...rows[i]!, prev: entryHashHex(rows[i - 1]!) };
    const fresh = newLog(store).log;
    await fresh.append(SHOP, { kind: 'erasure', data: { i: 4 } });
    expect(await codeOf(fresh.checkpoint(SHOP))).toEqual({ code: 'log_damaged', field: 'checkpoint' });
    expect(await fresh.verify(SHOP)).toMatchObject({ ok: false, problem: { code: 'checkpoint_mismatch' } });
  });

  it('refuses to sign without a key', async () => {
    const log = new AuditLog(new MemoryAuditStore());
    expect(await codeOf(log.checkpoint(SHOP))).toEqual({ code: 'invalid_key', field: 'signing_key' });
  });

  it('entry text is canonical JSON of exactly the seven fields', () => {
    const e = nextEntry(SHOP, undefined, { kind: 'erasure', ts: T0, data: { b: 1, a: [{ z: 1, y: 2 }] } });
    expect(entryText(e)).toBe(
      `{"data":{"a":[{"y":2,"z":1}],"b":1},"kind":"erasure","prev":"${'0'.repeat(64)}","seq":0,"shop_id":"${SHOP}","subject":null,"ts":${T0}}`,
    );
  });
});

describe('D5: canonical entry text', () => {
  it('canonicalJson sorts keys at every depth and names the path of what JSON cannot carry', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[{"c":"x","d":1}]}');
    expect(() => canonicalJson({ a: [1, { b: undefined }] })).toThrow('$.a[1].b: undefined is not JSON');
    expect(() => canonicalJson({ a: new Date(0) })).toThrow('$.a: a Date instance is not plain JSON');
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow('$[0]: Infinity is not a JSON number');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('$.f: a function is not JSON');
  });

  it('entryText is canonicalJson of the seven fields, for any JSON data', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.nat(),
          ts: fc.nat(),
          shop_id: fc.constantFrom(SHOP, 'shop_x'),
          kind: fc.constantFrom('erasure', 'consent_change'),
          subject: fc.option(fc.constant('sub_abc'), { nil: null }),
          data: fc.dictionary(fc.string(), fc.jsonValue()),
          prev: fc.constant('0'.repeat(64)),
        }),
        (e) => {
          const plain = JSON.parse(JSON.stringify(e));
          expect(entryText(plain)).toBe(canonicalJson(plain));
          expect(JSON.parse(entryText(plain))).toEqual(plain);
        },
      ),
      { numRuns: 300 },
    );
  });
});
