/**
 * `npm run bench -- audit [--entries N] [--runs N] [--proofs N]`
 *
 * The audit log and identity store cores, in memory (no database): building chained entries,
 * verifying a whole log against its checkpoints, inclusion and consistency proofs, and one
 * identity write+read. Beside each, in the same process, a baseline of the bare crypto the
 * step cannot avoid (SHA-256 of the entry text; AES-256-GCM of the same fields), so the ratio
 * shows what the format and checks cost on top. Last line: JSON.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  AUDIT_KINDS,
  type AuditEntry,
  entryHash,
  generateAuditKeys,
  MerkleTree,
  nextEntry,
  signCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
} from '@vitrine/audit';
import { generateMasterKey, IdentityVault, MemoryIdentityStore, parseMasterKeyring } from '@vitrine/identity';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

function timed<T>(work: () => T): [T, number] {
  const t0 = performance.now();
  const r = work();
  return [r, performance.now() - t0];
}

function buildEntries(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      nextEntry('shop_bench', out[i - 1], {
        kind: AUDIT_KINDS[i % AUDIT_KINDS.length]!,
        ts: 1_738_314_000_000 + i,
        subject: `sub_bench${i % 5000}`,
        data: { record: `cns_${i.toString(36)}`, level: i % 4, purposes: ['history_personalization'] },
      }),
    );
  }
  return out;
}

function hashBaseline(n: number): void {
  let prev = '0'.repeat(64);
  for (let i = 0; i < n; i++) {
    const text = JSON.stringify({ seq: i, ts: 1_738_314_000_000 + i, subject: `sub_bench${i % 5000}`, prev });
    prev = createHash('sha256').update(text).digest('hex');
  }
}

export async function runAudit(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      entries: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      proofs: { type: 'string', default: '2000' },
    },
  });
  const n = Number(values.entries);
  const runs = Number(values.runs);
  const proofs = Number(values.proofs);
  const keys = generateAuditKeys();

  const append: number[] = [];
  const appendBase: number[] = [];
  const verify: number[] = [];
  const verifyBase: number[] = [];
  let entries: AuditEntry[] = [];
  for (let r = 0; r < runs; r++) {
    const [built, ms] = timed(() => buildEntries(n));
    entries = built;
    append.push((n / ms) * 1000);
    appendBase.push((n / timed(() => hashBaseline(n))[1]) * 1000);

    const tree = new MerkleTree(entries.map(entryHash));
    const cps = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f, i) => {
      const size = Math.round(n * f);
      return signCheckpoint(
        {
          shopId: 'shop_bench',
          size,
          rootHash: tree.root(size).toString('hex'),
          timestamp: 1_738_400_000_000 + i,
        },
        keys.privateKey,
      ).text;
    });
    const [result, vms] = timed(() => verifyLog(entries, cps, keys.publicKey));
    if (!result.ok) throw new Error(`the bench log does not verify: ${result.problem.message}`);
    verify.push(vms);
    verifyBase.push(timed(() => entries.map(entryHash))[1]);
    console.log(
      `run ${r + 1}: ${n} entries built in ${ms.toFixed(0)} ms (${Math.round((n / ms) * 1000)}/s); verifyLog ${vms.toFixed(0)} ms, entry hashes alone ${verifyBase[r]!.toFixed(0)} ms`,
    );
  }

  // Proofs on the last log: random leaves against the full tree, random pairs of sizes.
  const tree = new MerkleTree(entries.map(entryHash));
  const root = tree.root();
  const inclusion: number[] = [];
  const consistency: number[] = [];
  let seed = 7;
  const rnd = (k: number) => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed % k;
  };
  for (let i = 0; i < proofs; i++) {
    const leaf = rnd(n);
    const t0 = performance.now();
    const ok = verifyInclusion(tree.leafHash(leaf), leaf, n, tree.inclusionProof(leaf), root);
    inclusion.push((performance.now() - t0) * 1000);
    const m = 1 + rnd(n);
    const t1 = performance.now();
    const ok2 = verifyConsistency(m, n, tree.root(m), root, tree.consistencyProof(m, n));
    consistency.push((performance.now() - t1) * 1000);
    if (!ok || !ok2) throw new Error('a proof did not verify');
  }

  // Identity: one subject's three fields written and read, against bare AES-256-GCM of the same.
  const vault = new IdentityVault(new MemoryIdentityStore(), parseMasterKeyring(generateMasterKey()));
  const fields = {
    email: 'kundin@example.org',
    name: 'Erika Mustermann',
    address: 'Heidestraße 17, 51147 Köln',
  };
  const identity: number[] = [];
  const identityBase: number[] = [];
  const key = randomBytes(32);
  for (let i = 0; i < proofs; i++) {
    const ref = { shopId: 'shop_bench', subjectId: `sub_i${i}` };
    const t0 = performance.now();
    await vault.set(ref, fields);
    const got = await vault.get(ref);
    identity.push((performance.now() - t0) * 1000);
    if (got.status !== 'present') throw new Error('identity did not round-trip');
    const t1 = performance.now();
    for (const v of Object.values(fields)) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, nonce);
      const ct = Buffer.concat([c.update(v), c.final()]);
      const d = createDecipheriv('aes-256-gcm', key, nonce);
      d.setAuthTag(c.getAuthTag());
      Buffer.concat([d.update(ct), d.final()]);
    }
    identityBase.push((performance.now() - t1) * 1000);
  }

  const figures = {
    bench: 'audit',
    entries: n,
    append_per_s: Math.round(median(append)),
    append_baseline_sha256_per_s: Math.round(median(appendBase)),
    verify_log_ms: Math.round(median(verify)),
    verify_baseline_hash_ms: Math.round(median(verifyBase)),
    inclusion_p50_us: round(pct(inclusion, 50)),
    inclusion_p99_us: round(pct(inclusion, 99)),
    consistency_p50_us: round(pct(consistency, 50)),
    consistency_p99_us: round(pct(consistency, 99)),
    identity_set_get_p50_us: round(pct(identity, 50)),
    identity_set_get_p99_us: round(pct(identity, 99)),
    identity_baseline_aes_gcm_p50_us: round(pct(identityBase, 50)),
  };
  console.log(
    `\nmedian of ${runs} runs; proofs and identity: ${proofs} samples (inclusion/consistency: build + verify, µs)`,
  );
  console.log(JSON.stringify(figures));
}
