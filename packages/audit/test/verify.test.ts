import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  describeProblem,
  entryHashHex,
  exportPublicKey,
  GENESIS_PREV,
  type LogProblem,
  nextEntry,
  type VerifyResult,
  verifyLog,
} from '../src/index';
import { checkpointsOf, clone, keys, makeEntries, otherKeys, SHOP, T0 } from './fixtures';

const N = 20;
const entries = makeEntries(N);
const signed = checkpointsOf(entries, [5, 12, N]);
const texts = signed.map((c) => c.text);

function problemOf(r: VerifyResult): LogProblem {
  if (r.ok) throw new Error('expected a problem, the log verified');
  return r.problem;
}

/** Re-chains entries from `from` on, as an attacker who knows the format but not the signing key would. */
function rechain(list: AuditEntry[], from = 0): AuditEntry[] {
  for (let i = from; i < list.length; i++) {
    list[i] = { ...list[i]!, prev: i === 0 ? GENESIS_PREV : entryHashHex(list[i - 1]!) };
  }
  return list;
}

describe('D5: verifyLog', () => {
  it('accepts an intact log and says how much the checkpoints anchor', () => {
    const r = verifyLog(entries, texts, keys.publicKey);
    expect(r).toMatchObject({ ok: true, entries: N, checkpoints: 3, anchored: N, unanchored: 0 });
    const more = [
      ...entries,
      nextEntry(SHOP, entries[N - 1], { kind: 'erasure', ts: T0 + 99_000, subject: null }),
    ];
    expect(verifyLog(more, texts, keys.publicKey)).toMatchObject({ ok: true, anchored: N, unanchored: 1 });
    // The key may be given in any published form.
    expect(verifyLog(entries, texts, exportPublicKey(keys.publicKey).base64).ok).toBe(true);
    expect(verifyLog([], [], keys.publicKey)).toMatchObject({ ok: true, entries: 0 });
  });

  it('D5: names the entry whose data was changed', () => {
    const list = clone(entries);
    list[7] = { ...list[7]!, data: { ...list[7]!.data, n: 700 } };
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'changed', seq: 7, variant: 'changed_content' });
    expect(p.message).toBe('entry 7 was changed: its hash no longer matches the one recorded in entry 8.');
    expect(describeProblem(p)).toBe(
      'Eintrag 7 wurde geändert: sein Hash stimmt nicht mehr mit dem in Eintrag 8 vermerkten überein.',
    );
  });

  it('D5: names the entry whose subject, kind or time was changed', () => {
    for (const change of [
      { subject: 'sub_someoneelse' },
      { kind: 'policy_change' },
      { ts: entries[3]!.ts + 1 },
      { shop_id: 'shop_other' },
    ]) {
      const list = clone(entries);
      list[3] = { ...list[3]!, ...change };
      expect(problemOf(verifyLog(list, texts, keys.publicKey))).toMatchObject({ code: 'changed', seq: 3 });
    }
  });

  it('D5: names the entry whose prev hash was changed', () => {
    const list = clone(entries);
    list[9] = { ...list[9]!, prev: 'f'.repeat(64) };
    expect(problemOf(verifyLog(list, texts, keys.publicKey))).toMatchObject({
      code: 'changed',
      seq: 9,
      variant: 'changed_link',
    });
    const first = clone(entries);
    first[0] = { ...first[0]!, prev: '1'.repeat(64) };
    expect(problemOf(verifyLog(first, texts, keys.publicKey))).toMatchObject({ code: 'changed', seq: 0 });
  });

  it('D5: names the entry whose seq was changed', () => {
    const list = clone(entries);
    list[4] = { ...list[4]!, seq: 40 };
    expect(problemOf(verifyLog(list, texts, keys.publicKey))).toMatchObject({
      code: 'changed',
      seq: 4,
      variant: 'changed_seq',
    });
  });

  it('D5: names the entry that was removed', () => {
    const list = clone(entries);
    list.splice(6, 1);
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'removed', seq: 6, variant: 'removed_gap' });
    expect(p.message).toBe('entry 6 was removed: entry 5 is followed by entry 7.');
    expect(describeProblem(p, 'de')).toBe('Eintrag 6 wurde entfernt: auf Eintrag 5 folgt Eintrag 7.');
    const two = clone(entries);
    two.splice(6, 2);
    expect(problemOf(verifyLog(two, texts, keys.publicKey)).message).toMatch(/^entry 6–7 was removed/);
  });

  it('D5: names entries removed from the end, which a checkpoint still covers', () => {
    const list = clone(entries).slice(0, N - 3);
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'removed', seq: N - 3, variant: 'removed_tail', checkpoint: 3 });
    expect(p.message).toMatch(
      /^entry 17–19 was removed: the signed checkpoint of .* covers 20 entries, the log holds 17/,
    );
  });

  it('D5: names the entry that was inserted', () => {
    // A forged entry with a plausible seq and a correct link to its predecessor.
    const list = clone(entries);
    const forged = nextEntry(SHOP, list[4], {
      kind: 'consent_change',
      ts: list[4]!.ts + 1,
      subject: 'sub_forged',
    });
    list.splice(5, 0, forged);
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'inserted', seq: 5, position: 5 });
    expect(p.message).toBe('an entry was inserted at position 5: seq 5 also stands at position 6.');
    // Inserted after the original it copies the seq of.
    const after = clone(entries);
    after.splice(6, 0, {
      ...nextEntry(SHOP, after[4], { kind: 'erasure', ts: 1, subject: null }),
      prev: entryHashHex(after[5]!),
    });
    expect(problemOf(verifyLog(after, texts, keys.publicKey))).toMatchObject({
      code: 'inserted',
      seq: 5,
      position: 6,
    });
  });

  it('D5: finds an inserted entry even when the later ones were renumbered', () => {
    const list = clone(entries);
    const forged = nextEntry(SHOP, list[4], {
      kind: 'consent_change',
      ts: list[4]!.ts + 1,
      subject: 'sub_forged',
    });
    list.splice(5, 0, forged);
    for (let i = 6; i < list.length; i++) list[i] = { ...list[i]!, seq: i };
    expect(problemOf(verifyLog(list, texts, keys.publicKey))).toMatchObject({ code: 'chain_broken', seq: 6 });
  });

  it('D5: names the entries that were reordered', () => {
    const list = clone(entries);
    [list[10], list[11]] = [list[11]!, list[10]!];
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'reordered', seq: 11, position: 10 });
    expect(p.message).toBe('the order was changed: entry 11 is at position 10, before entry 10.');
    expect(describeProblem(p)).toBe(
      'Die Reihenfolge wurde geändert: Eintrag 11 steht an Position 10, vor Eintrag 10.',
    );
  });

  it('D5: a rewrite with the chain recomputed is caught by the checkpoint that covers it', () => {
    const list = clone(entries);
    list[8] = { ...list[8]!, data: { n: 8, purpose: 'forged' } };
    rechain(list, 9);
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'checkpoint_mismatch', seq: 5, checkpoint: 2 });
    expect(p.message).toMatch(/checkpoint of .* \(12 entries\): an entry in 5–11 was changed/);
  });

  it('D5: a removal with renumbering and the chain recomputed is caught by the checkpoint', () => {
    const list = clone(entries);
    list.splice(2, 1);
    for (let i = 2; i < list.length; i++) list[i] = { ...list[i]!, seq: i };
    rechain(list, 2);
    const p = problemOf(verifyLog(list, texts, keys.publicKey));
    expect(p).toMatchObject({ code: 'checkpoint_mismatch', seq: 0, checkpoint: 1 });
  });

  it('D5: a checkpoint signed by another key, or altered, is a bad signature', () => {
    const foreign = checkpointsOf(entries, [N], otherKeys.privateKey)[0]!.text;
    expect(problemOf(verifyLog(entries, [texts[0]!, foreign], keys.publicKey))).toMatchObject({
      code: 'bad_signature',
      checkpoint: 2,
      seq: null,
    });
    // The attacker rewrites the log and edits the size in the signed text.
    const altered = texts[1]!.replace('\n12\n', '\n11\n');
    const p = problemOf(verifyLog(entries, [altered], keys.publicKey));
    expect(p).toMatchObject({ code: 'bad_signature', variant: 'bad_signature', checkpoint: 1 });
    expect(describeProblem(p)).toBe('Prüfpunkt 1 (Größe 11): die Signatur ist ungültig.');
    expect(p.message).toBe('checkpoint 1 (size 11): the signature is not valid.');
    expect(problemOf(verifyLog(entries, ['garbage'], keys.publicKey))).toMatchObject({
      code: 'bad_signature',
      variant: 'unreadable_checkpoint',
    });
  });

  it('D5: a validly signed checkpoint that does not match the entries', () => {
    // E.g. the log was rolled back and re-grown differently after a checkpoint was published.
    const other = makeEntries(N).map((e) => ({ ...e }));
    other[15] = { ...other[15]!, data: { n: 'rewritten' } };
    rechain(other, 16);
    const forked = checkpointsOf(other, [N])[0]!.text;
    expect(problemOf(verifyLog(entries, [forked], keys.publicKey))).toMatchObject({
      code: 'checkpoint_mismatch',
      variant: 'checkpoint_root',
      seq: 0,
      checkpoint: 1,
    });
    const otherShop = checkpointsOf(makeEntries(3, 'shop_other'), [3])[0]!.text;
    expect(problemOf(verifyLog(entries, [otherShop], keys.publicKey, { shopId: SHOP }))).toMatchObject({
      code: 'checkpoint_mismatch',
      variant: 'checkpoint_shop',
    });
  });

  it('reports malformed entries by position and field', () => {
    const list: unknown[] = clone(entries);
    list[3] = { ...entries[3]!, seq: 'three' };
    expect(problemOf(verifyLog(list, texts, keys.publicKey))).toMatchObject({
      code: 'malformed',
      position: 3,
      params: { field: 'seq' },
    });
    list[3] = { ...entries[3]!, hash: 'x' };
    expect(problemOf(verifyLog(list, texts, keys.publicKey)).params.field).toBe('hash');
    list[3] = null;
    expect(problemOf(verifyLog(list, texts, keys.publicKey)).code).toBe('malformed');
    // A whole, intact log of another shop handed in as this shop's.
    expect(
      problemOf(verifyLog(makeEntries(4, 'shop_other'), [], keys.publicKey, { shopId: SHOP })),
    ).toMatchObject({
      code: 'malformed',
      variant: 'wrong_shop',
      seq: 0,
    });
  });

  it('D5: any change of one field of one entry is found and names that entry (property)', () => {
    const mutations: ((e: AuditEntry) => AuditEntry)[] = [
      (e) => ({ ...e, data: { ...e.data, extra: true } }),
      (e) => ({ ...e, ts: e.ts + 1 }),
      (e) => ({ ...e, subject: e.subject === null ? 'sub_x' : null }),
      (e) => ({ ...e, kind: e.kind === 'erasure' ? 'export_read' : 'erasure' }),
    ];
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 40 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 3 })),
          ),
        ([n, at, which]) => {
          const list = makeEntries(n);
          const cps = checkpointsOf(list, [n]).map((c) => c.text);
          list[at] = mutations[which]!(list[at]!);
          const p = problemOf(verifyLog(list, cps, keys.publicKey));
          if (at < n - 1) expect(p).toMatchObject({ code: 'changed', seq: at });
          // The last entry has no successor to record its hash: the checkpoint catches it.
          else expect(p).toMatchObject({ code: 'checkpoint_mismatch', checkpoint: 1 });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('D5: removing, inserting or swapping any entry is found (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 3, max: 40 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 2 }), fc.integer({ min: 0, max: 2 })),
          ),
        ([n, at, op]) => {
          const list = makeEntries(n);
          const cps = checkpointsOf(list, [n]).map((c) => c.text);
          if (op === 0) list.splice(at, 1);
          if (op === 1)
            list.splice(at + 1, 0, nextEntry(SHOP, list[at], { kind: 'erasure', ts: T0, subject: null }));
          if (op === 2) [list[at], list[at + 1]] = [list[at + 1]!, list[at]!];
          const p = problemOf(verifyLog(list, cps, keys.publicKey));
          expect(p.code).toBe(['removed', 'inserted', 'reordered'][op]);
          expect(p.seq).toBe(op === 2 ? at + 1 : op === 0 ? at : at + 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});
