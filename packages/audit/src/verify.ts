import type { KeyObject } from 'node:crypto';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint';
import { type AuditEntry, checkEntry, entryHash, GENESIS_PREV } from './entry';
import { importPublicKey } from './keys';
import { MerkleTree } from './merkle';
import { type Lang, type ProblemParams, type ProblemVariant, problemText } from './messages';

export type LogProblemCode =
  | 'malformed'
  | 'changed'
  | 'removed'
  | 'inserted'
  | 'reordered'
  | 'chain_broken'
  | 'bad_signature'
  | 'checkpoint_mismatch';

const CODE_OF: Record<ProblemVariant, LogProblemCode> = {
  malformed: 'malformed',
  wrong_shop: 'malformed',
  removed_gap: 'removed',
  removed_tail: 'removed',
  inserted: 'inserted',
  reordered: 'reordered',
  changed_content: 'changed',
  changed_last_link: 'changed',
  changed_link: 'changed',
  changed_genesis: 'changed',
  changed_seq: 'changed',
  chain_broken: 'chain_broken',
  bad_signature: 'bad_signature',
  not_signed_by_key: 'bad_signature',
  unreadable_checkpoint: 'bad_signature',
  checkpoint_shop: 'checkpoint_mismatch',
  checkpoint_root: 'checkpoint_mismatch',
};

export interface LogProblem {
  code: LogProblemCode;
  /** Which text describes it; `describeProblem` words it in German or English. */
  variant: ProblemVariant;
  /** The entry named (its seq); null when the problem is a checkpoint alone or an unreadable entry. */
  seq: number | null;
  /** The 0-based position in the list as read, when one entry is concerned. */
  position: number | null;
  /** The 1-based number of the checkpoint concerned, in the order handed in. */
  checkpoint: number | null;
  params: ProblemParams;
  /** In English, for logs; see `describeProblem` for German. */
  message: string;
}

export type VerifyResult =
  | {
      ok: true;
      entries: number;
      /** Checkpoints whose signature and root were checked. */
      checkpoints: number;
      /** The largest checkpoint's size, 0 without one. */
      anchored: number;
      /** Entries after the last checkpoint: protected by the hash chain only, until the next one. */
      unanchored: number;
      /** Root hash (hex) over all entries. */
      rootHash: string;
    }
  | { ok: false; problem: LogProblem };

export interface VerifyOptions {
  /** The shop whose log this is; by default the shop of the first checkpoint or entry. */
  shopId?: string;
}

export function describeProblem(problem: LogProblem, lang: Lang = 'de'): string {
  return problemText(problem.variant, problem.params, lang);
}

function problem(variant: ProblemVariant, params: ProblemParams): { ok: false; problem: LogProblem } {
  return {
    ok: false,
    problem: {
      code: CODE_OF[variant],
      variant,
      seq: params.seq ?? null,
      position: params.position ?? null,
      checkpoint: params.checkpoint ?? null,
      params,
      message: problemText(variant, params, 'en'),
    },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Checks a shop's log as read from a store, in order, against its signed checkpoints, and
 * returns ok or the first problem, naming the entry. The order of checks, and so which problem
 * counts as first: the checkpoints' signatures; the entries' shape; then entry by entry the
 * sequence numbers (removed, inserted, reordered) and the hash chain (changed); last, each
 * checkpoint's tree size and root, smallest first (entries removed at the end, or rewritten
 * with the chain recomputed).
 *
 * What it cannot see: entries after the last checkpoint that were removed from the end, or
 * rewritten together with every later entry. Signing a checkpoint often keeps that window small.
 */
export function verifyLog(
  entries: readonly unknown[],
  checkpoints: readonly (string | Pick<SignedCheckpoint, 'text'>)[],
  publicKey: KeyObject | string,
  options: VerifyOptions = {},
): VerifyResult {
  const key = typeof publicKey === 'string' ? importPublicKey(publicKey) : publicKey;

  // 1. Checkpoints: each must carry a valid signature by the key.
  const opened: { cp: SignedCheckpoint; number: number }[] = [];
  for (const [i, c] of checkpoints.entries()) {
    const text = typeof c === 'string' ? c : c.text;
    const res = openCheckpoint(text, key);
    if (!res.ok) {
      const variant =
        res.reason === 'malformed'
          ? 'unreadable_checkpoint'
          : res.reason === 'not_signed_by_key'
            ? 'not_signed_by_key'
            : 'bad_signature';
      if (res.reason === 'malformed') return problem(variant, { checkpoint: i + 1, reason: res.message });
      return problem(variant, { checkpoint: i + 1, size: Number(text.split('\n')[1]) });
    }
    opened.push({ cp: res.checkpoint, number: i + 1 });
  }

  // 2. Entries: each must have the shape of an entry.
  const list: AuditEntry[] = [];
  for (const [position, value] of entries.entries()) {
    const check = checkEntry(value);
    if (!check.ok) return problem('malformed', { position, field: check.field, reason: check.message });
    list.push(check.entry);
  }
  const shopId = options.shopId ?? opened[0]?.cp.shopId ?? list[0]?.shop_id;
  for (const { cp, number } of opened) {
    if (cp.shopId !== shopId) {
      return problem('checkpoint_shop', { checkpoint: number, shop: cp.shopId, expectedShop: shopId });
    }
  }

  // 3. Entry by entry: sequence numbers, then the hash chain.
  const n = list.length;
  const hashes = list.map((e) => entryHash(e));
  const positionsOf = new Map<number, number[]>();
  list.forEach((e, p) => {
    const at = positionsOf.get(e.seq);
    if (at) at.push(p);
    else positionsOf.set(e.seq, [p]);
  });
  /** Whether entry p records the hash of entry p-1 (the genesis value for p = 0); true past the end. */
  const linked = (p: number): boolean => {
    if (p >= n) return true;
    return list[p]!.prev === (p === 0 ? GENESIS_PREV : hashes[p - 1]!.toString('hex'));
  };

  for (let p = 0; p < n; p++) {
    const e = list[p]!;
    const expected = p === 0 ? 0 : list[p - 1]!.seq + 1;
    if (e.seq !== expected) {
      const next = list[p + 1];
      const earlier = (positionsOf.get(e.seq) ?? []).filter((q) => q < p);
      // A seq seen before, and the numbering goes on from it: one entry too many.
      if (earlier.length > 0 && (next === undefined ? !linked(p) : next.seq === e.seq + 1)) {
        // Of the two, the original is the one its successor links to.
        const q = earlier[earlier.length - 1]!;
        const inserted = next !== undefined && next.prev === hashes[p]!.toString('hex') ? q : p;
        return problem('inserted', { seq: e.seq, position: inserted, otherPosition: inserted === p ? q : p });
      }
      if ((positionsOf.get(expected) ?? []).some((q) => q > p)) {
        return problem('reordered', { seq: e.seq, position: p, otherSeq: expected });
      }
      if (linked(p) || next?.seq === expected + 1) {
        // The entry still follows its predecessor, or the numbering goes on as if it had the
        // right seq: its seq was edited.
        return problem('changed_seq', { seq: expected, position: p, found: e.seq });
      }
      if (e.seq > expected) return problem('removed_gap', { seq: expected, lastSeq: e.seq - 1, position: p });
      return problem('reordered', { seq: e.seq, position: p, otherSeq: expected });
    }
    if (!linked(p)) {
      if (p === 0) return problem('changed_genesis', { seq: 0, position: 0 });
      if (linked(p + 1)) {
        // Only the link into p broke: entry p-1's content changed (or, at the end, p's prev).
        const variant = p === n - 1 ? 'changed_last_link' : 'changed_content';
        return problem(variant, { seq: list[p - 1]!.seq, position: p - 1, otherSeq: e.seq });
      }
      if (linked(p + 2)) return problem('changed_link', { seq: e.seq, position: p });
      return problem('chain_broken', { seq: e.seq, position: p });
    }
  }
  // With the chain intact, an entry of another shop means the log is another shop's.
  const foreign = list.findIndex((e) => e.shop_id !== shopId);
  if (foreign >= 0) {
    const e = list[foreign]!;
    return problem('wrong_shop', { seq: e.seq, position: foreign, shop: e.shop_id, expectedShop: shopId });
  }

  // 4. Checkpoints against the tree over the entries, smallest first.
  const tree = new MerkleTree(hashes);
  let confirmed = 0;
  for (const { cp, number } of [...opened].sort((a, b) => a.cp.size - b.cp.size)) {
    if (cp.size > n) {
      return problem('removed_tail', {
        seq: n,
        lastSeq: cp.size - 1,
        checkpoint: number,
        size: cp.size,
        entries: n,
        time: iso(cp.timestamp),
      });
    }
    if (tree.root(cp.size).toString('hex') !== cp.rootHash) {
      return problem('checkpoint_root', {
        seq: confirmed,
        lastSeq: cp.size - 1,
        checkpoint: number,
        size: cp.size,
        time: iso(cp.timestamp),
      });
    }
    confirmed = cp.size;
  }
  return {
    ok: true,
    entries: n,
    checkpoints: opened.length,
    anchored: confirmed,
    unanchored: n - confirmed,
    rootHash: tree.root().toString('hex'),
  };
}
