import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  auditCheckProof,
  auditProve,
  auditProveConsistency,
  auditVerify,
  canonicalJson,
  exportPublicKey,
  isAuditError,
  noteVerifierKey,
} from '../src/index';
import { checkpointsOf, clone, keys, makeEntries, otherKeys, SHOP } from './fixtures';

const PKG = join(import.meta.dirname, '..');
const entries = makeEntries(25);
const [cp10, cp25] = checkpointsOf(entries, [10, 25]).map((c) => c.text) as [string, string];
const publicKey = exportPublicKey(keys.publicKey).base64;
/** What the CLI reads: JSON text, so the functions see exactly what a file holds. */
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function errorOf(fn: () => unknown): { code: string; field: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isAuditError(e)) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected an AuditError');
}

const dir = mkdtempSync(join(tmpdir(), 'vitrine-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('D5: audit verify', () => {
  it('exits 0 with a summary in German (default) and English', () => {
    const input = json({ public_key: publicKey, entries, checkpoints: [cp25, cp10] });
    const r = auditVerify(input);
    expect(r.exitCode).toBe(0);
    expect(r.text).toBe(
      'Protokoll in Ordnung: 25 Einträge, Hash-Kette lückenlos, 2 signierte Prüfpunkte passen.',
    );
    expect(auditVerify({ ...input, checkpoints: [cp10] }, 'en').text).toBe(
      'log intact: 25 entries, hash chain unbroken, 1 signed checkpoints match. 15 entries after the last checkpoint are protected by the chain only.',
    );
  });

  it('D5: exits 1 and names the entry that was changed, removed, inserted or reordered', () => {
    const changed = clone(entries);
    changed[3] = { ...changed[3]!, data: { n: 'x' } };
    const removed = clone(entries).filter((e) => e.seq !== 8);
    const inserted = clone(entries);
    inserted.splice(12, 0, clone(entries[12]!));
    const reordered = clone(entries);
    [reordered[20], reordered[21]] = [reordered[21]!, reordered[20]!];
    const cases = [
      [changed, 'Eintrag 3 wurde geändert'],
      [removed, 'Eintrag 8 wurde entfernt'],
      [inserted, 'An Position 12 wurde ein Eintrag eingefügt'],
      [reordered, 'Eintrag 21 steht an Position 20, vor Eintrag 20'],
    ] as const;
    for (const [list, text] of cases) {
      const r = auditVerify(json({ public_key: publicKey, entries: list, checkpoints: [cp10, cp25] }));
      expect(r.exitCode).toBe(1);
      expect(r.text).toContain(text);
    }
  });

  it('refuses input of the wrong shape with invalid_input and the field', () => {
    expect(errorOf(() => auditVerify({ entries: [] }))).toMatchObject({
      code: 'invalid_input',
      field: 'public_key',
    });
    expect(errorOf(() => auditVerify({ public_key: publicKey, entries: {} }))).toMatchObject({
      field: 'entries',
    });
    expect(
      errorOf(() => auditVerify({ public_key: publicKey, entries: [], checkpoints: [1] })),
    ).toMatchObject({
      field: 'checkpoints[0]',
    });
    expect(errorOf(() => auditVerify({ public_key: 'nope', entries: [] }))).toMatchObject({
      code: 'invalid_key',
      field: 'public_key',
    });
  });
});

describe('D5: audit prove and check-proof', () => {
  it('proves every entry against the checkpoint, and the proof checks with any key form', () => {
    for (const seq of [0, 9, 13, 24]) {
      const proof = auditProve(json({ entries, checkpoint: cp25, seq, public_key: publicKey }));
      const vkey = noteVerifierKey(`vitrine.audit/${SHOP}`, keys.publicKey);
      for (const key of [publicKey, vkey, exportPublicKey(keys.publicKey).pem]) {
        const r = auditCheckProof(json({ public_key: key, proof }));
        expect(r.exitCode).toBe(0);
        expect(r.text).toMatch(
          new RegExp(`^Eintrag ${seq} ist unverändert im Protokoll von ${SHOP} enthalten`),
        );
      }
    }
  });

  it('D5: a proof with a changed entry, or checked with another key, exits 1', () => {
    const proof = auditProve(json({ entries, checkpoint: cp25, seq: 5 }));
    const forged = { ...proof, leaf: canonicalJson({ ...JSON.parse(proof.leaf), subject: 'sub_other' }) };
    expect(auditCheckProof(json({ public_key: publicKey, proof: forged }))).toMatchObject({ exitCode: 1 });
    const other = exportPublicKey(otherKeys.publicKey).base64;
    const r = auditCheckProof(json({ public_key: other, proof }), 'en');
    expect(r.exitCode).toBe(1);
    expect(r.text).toMatch(/^the checkpoint carries no valid signature by this key/);
  });

  it('refuses to prove what the checkpoint does not cover, or from entries that do not match it', () => {
    expect(errorOf(() => auditProve(json({ entries, checkpoint: cp10, seq: 12 })))).toMatchObject({
      code: 'not_found',
      field: 'seq',
    });
    const changed = clone(entries);
    changed[2] = { ...changed[2]!, ts: 1 };
    expect(errorOf(() => auditProve(json({ entries: changed, checkpoint: cp10, seq: 1 })))).toMatchObject({
      code: 'log_damaged',
    });
    const other = exportPublicKey(otherKeys.publicKey).base64;
    expect(
      errorOf(() => auditProve(json({ entries, checkpoint: cp10, seq: 1, public_key: other }))),
    ).toMatchObject({
      code: 'invalid_input',
      field: 'checkpoint',
    });
    expect(errorOf(() => auditProve(json({ entries, checkpoint: cp10, seq: -1 })))).toMatchObject({
      field: 'seq',
    });
    const bad = clone(entries) as unknown[];
    bad[4] = { ...entries[4]!, prev: 'zz' };
    expect(errorOf(() => auditProve(json({ entries: bad, checkpoint: cp10, seq: 1 })))).toMatchObject({
      code: 'invalid_input',
      field: 'entries[4].prev',
    });
  });

  it('D5: proves consistency between two checkpoints', () => {
    const proof = auditProveConsistency(json({ entries, first: cp10, second: cp25, public_key: publicKey }));
    const r = auditCheckProof(json({ public_key: publicKey, proof }));
    expect(r.exitCode).toBe(0);
    expect(r.text).toMatch(
      /^Das Protokoll mit 25 Einträgen .* setzt das mit 10 Einträgen unverändert fort\.$/,
    );
    const swapped = { ...proof, first: proof.second, second: proof.first };
    expect(auditCheckProof(json({ public_key: publicKey, proof: swapped })).exitCode).toBe(1);
  });
});

describe('D5: offline verification as the README shows it', () => {
  const script = join(PKG, 'examples', 'verify-proof.mjs');
  const run = (proof: unknown, key = publicKey) => {
    const file = join(dir, `proof-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(proof, null, 2));
    return spawnSync(process.execPath, [script, file, key], { encoding: 'utf8' });
  };

  it('the README carries the example script verbatim', () => {
    const readme = readFileSync(join(PKG, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${readFileSync(script, 'utf8')}\`\`\``);
  });

  it('D5: the script verifies real proofs of every entry with Node alone', () => {
    for (const seq of [0, 1, 7, 24]) {
      const r = run(auditProve(json({ entries, checkpoint: cp25, seq })));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`verified: entry ${seq} is in the log vitrine.audit/${SHOP}`);
    }
  });

  it('D5: the script refuses a changed entry, path, checkpoint or another key', () => {
    const proof = auditProve(json({ entries, checkpoint: cp25, seq: 6 }));
    const leaf = JSON.parse(proof.leaf);
    const hash = proof.path[1]!;
    const cases: [unknown, string, RegExp][] = [
      [{ ...proof, leaf: canonicalJson({ ...leaf, data: { n: 600 } }) }, publicKey, /not in the signed log/],
      [
        {
          ...proof,
          path: proof.path.map((h) => (h === hash ? `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}` : h)),
        },
        publicKey,
        /not in the signed log/,
      ],
      [
        { ...proof, checkpoint: proof.checkpoint.replace('\n25\n', '\n26\n') },
        publicKey,
        /signature is not valid/,
      ],
      [{ ...proof, leaf_index: 7 }, publicKey, /index or size differ/],
      [proof, exportPublicKey(otherKeys.publicKey).base64, /signature is not valid/],
    ];
    for (const [p, key, why] of cases) {
      const r = run(p, key);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(why);
    }
  });
});
