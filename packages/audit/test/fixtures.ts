import {
  AUDIT_KINDS,
  type AuditEntry,
  entryHash,
  generateAuditKeys,
  MerkleTree,
  nextEntry,
  signCheckpoint,
} from '../src/index';

export const SHOP = 'shop_test01';
export const T0 = Date.UTC(2025, 0, 31, 9, 0, 0);
export const keys = generateAuditKeys();
export const otherKeys = generateAuditKeys();

/** A log of `n` entries of every kind, as the server would append them. */
export function makeEntries(n: number, shopId = SHOP): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      nextEntry(shopId, out[i - 1], {
        kind: AUDIT_KINDS[i % AUDIT_KINDS.length]!,
        ts: T0 + i * 1000,
        subject: i % 3 === 0 ? null : `sub_subject${i % 7}`,
        data: { n: i, purpose: i % 2 === 0 ? 'history_personalization' : 'aggregate_models' },
      }),
    );
  }
  return out;
}

/** Signed checkpoints of the given sizes over `entries`. */
export function checkpointsOf(
  entries: readonly AuditEntry[],
  sizes: readonly number[],
  privateKey = keys.privateKey,
) {
  const tree = new MerkleTree(entries.map(entryHash));
  return sizes.map((size, i) =>
    signCheckpoint(
      {
        shopId: entries[0]?.shop_id ?? SHOP,
        size,
        rootHash: tree.root(size).toString('hex'),
        timestamp: T0 + 60_000 * (i + 1),
      },
      privateKey,
    ),
  );
}

export const clone = <T>(v: T): T => structuredClone(v);
