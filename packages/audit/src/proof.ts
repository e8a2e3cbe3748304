import type { KeyObject } from 'node:crypto';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint';
import { type AuditEntry, checkEntry, entryHash, entryText } from './entry';
import { AuditError } from './errors';
import { importPublicKey } from './keys';
import { leafHash, type MerkleTree, verifyConsistency, verifyInclusion } from './merkle';

/**
 * What a customer receives with a consent record or an erasure receipt: the entry's exact
 * text, its audit path and the signed checkpoint it leads to. With the shop's public key
 * (published on its transparency page, not taken from the proof) anyone can check offline
 * that the entry is in the log, unchanged, at that place.
 */
export interface InclusionProof {
  format: 'vitrine-audit-inclusion/1';
  /** The entry's seq. */
  leaf_index: number;
  tree_size: number;
  /** The canonical JSON text of the entry: the exact bytes hashed (with a 0x00 prefix). */
  leaf: string;
  /** Hex hashes from the leaf's sibling up to the root's child (RFC 9162 §2.1.3). */
  path: string[];
  /** The signed checkpoint of `tree_size` entries. */
  checkpoint: string;
}

/** That the log at `second` holds the log at `first` unchanged, with entries only added. */
export interface ConsistencyProof {
  format: 'vitrine-audit-consistency/1';
  first: string;
  second: string;
  /** Hex hashes (RFC 9162 §2.1.4). */
  path: string[];
}

const hex = (b: Buffer): string => b.toString('hex');

function checkTree(tree: MerkleTree, cp: SignedCheckpoint): void {
  if (cp.size > tree.size) {
    throw new AuditError(
      'not_found',
      'checkpoint',
      `the checkpoint covers ${cp.size} entries, the log holds ${tree.size}`,
    );
  }
  if (hex(tree.root(cp.size)) !== cp.rootHash) {
    throw new AuditError(
      'log_damaged',
      'checkpoint',
      `the entries do not match the checkpoint of size ${cp.size}`,
    );
  }
}

/** The inclusion proof of `entry` (which must be the tree's leaf `entry.seq`) against `checkpoint`. */
export function buildInclusionProof(
  tree: MerkleTree,
  entry: AuditEntry,
  checkpoint: SignedCheckpoint,
): InclusionProof {
  checkTree(tree, checkpoint);
  if (entry.seq >= checkpoint.size) {
    throw new AuditError(
      'not_found',
      'seq',
      `entry ${entry.seq} is not covered by the checkpoint of size ${checkpoint.size}: sign a newer one`,
    );
  }
  if (!tree.leafHash(entry.seq).equals(entryHash(entry))) {
    throw new AuditError('log_damaged', 'seq', `entry ${entry.seq} no longer matches its hash in the tree`);
  }
  return {
    format: 'vitrine-audit-inclusion/1',
    leaf_index: entry.seq,
    tree_size: checkpoint.size,
    leaf: entryText(entry),
    path: tree.inclusionProof(entry.seq, checkpoint.size).map(hex),
    checkpoint: checkpoint.text,
  };
}

export function buildConsistencyProof(
  tree: MerkleTree,
  first: SignedCheckpoint,
  second: SignedCheckpoint,
): ConsistencyProof {
  if (first.shopId !== second.shopId) {
    throw new AuditError('invalid_input', 'second', 'the two checkpoints belong to different shops');
  }
  if (first.size > second.size) {
    throw new AuditError('invalid_input', 'first', 'the first checkpoint must not be larger than the second');
  }
  checkTree(tree, first);
  checkTree(tree, second);
  return {
    format: 'vitrine-audit-consistency/1',
    first: first.text,
    second: second.text,
    path: tree.consistencyProof(first.size, second.size).map(hex),
  };
}

export type ProofCheck<T> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'not_included' | 'inconsistent'; message: string };

const HEX64 = /^[0-9a-f]{64}$/;

function hashes(path: unknown): Buffer[] | undefined {
  if (!Array.isArray(path) || !path.every((h) => typeof h === 'string' && HEX64.test(h))) return undefined;
  return path.map((h: string) => Buffer.from(h, 'hex'));
}

/**
 * Checks an inclusion proof offline: the checkpoint is signed by `publicKey`, and the entry's
 * leaf hash with the path leads to the checkpoint's root at `leaf_index`.
 */
export function verifyInclusionProof(
  proof: unknown,
  publicKey: KeyObject | string,
): ProofCheck<{ entry: AuditEntry; checkpoint: SignedCheckpoint }> {
  const key = typeof publicKey === 'string' ? importPublicKey(publicKey) : publicKey;
  const p = proof as Partial<InclusionProof> | null;
  const bad = (message: string) => ({ ok: false, reason: 'malformed', message }) as const;
  if (p === null || typeof p !== 'object' || p.format !== 'vitrine-audit-inclusion/1') {
    return bad('format must be "vitrine-audit-inclusion/1"');
  }
  const path = hashes(p.path);
  if (path === undefined) return bad('path must be a list of 64-digit hex hashes');
  if (typeof p.leaf !== 'string') return bad('leaf must be the text of the entry');
  let parsed: unknown;
  try {
    parsed = JSON.parse(p.leaf);
  } catch {
    return bad('leaf is not JSON');
  }
  const entry = checkEntry(parsed);
  if (!entry.ok) return bad(`leaf: ${entry.field} ${entry.message}`);
  if (entryText(entry.entry) !== p.leaf) return bad('leaf is not in canonical form');
  const opened = openCheckpoint(typeof p.checkpoint === 'string' ? p.checkpoint : '', key);
  if (!opened.ok) {
    return {
      ok: false,
      reason: opened.reason === 'malformed' ? 'malformed' : 'bad_signature',
      message: opened.message,
    };
  }
  const cp = opened.checkpoint;
  if (p.tree_size !== cp.size) return bad('tree_size differs from the checkpoint');
  if (p.leaf_index !== entry.entry.seq) return bad('leaf_index differs from the entry seq');
  if (entry.entry.shop_id !== cp.shopId) {
    return {
      ok: false,
      reason: 'not_included',
      message: 'the entry belongs to another shop than the checkpoint',
    };
  }
  const root = Buffer.from(cp.rootHash, 'hex');
  if (!verifyInclusion(leafHash(p.leaf), entry.entry.seq, cp.size, path, root)) {
    return {
      ok: false,
      reason: 'not_included',
      message: 'the path does not lead from the entry to the signed root',
    };
  }
  return { ok: true, entry: entry.entry, checkpoint: cp };
}

/** Checks a consistency proof: both checkpoints signed by `publicKey`, the second extends the first. */
export function verifyConsistencyProof(
  proof: unknown,
  publicKey: KeyObject | string,
): ProofCheck<{ first: SignedCheckpoint; second: SignedCheckpoint }> {
  const key = typeof publicKey === 'string' ? importPublicKey(publicKey) : publicKey;
  const p = proof as Partial<ConsistencyProof> | null;
  const bad = (message: string) => ({ ok: false, reason: 'malformed', message }) as const;
  if (p === null || typeof p !== 'object' || p.format !== 'vitrine-audit-consistency/1') {
    return bad('format must be "vitrine-audit-consistency/1"');
  }
  const path = hashes(p.path);
  if (path === undefined) return bad('path must be a list of 64-digit hex hashes');
  const first = openCheckpoint(typeof p.first === 'string' ? p.first : '', key);
  if (!first.ok) {
    return {
      ok: false,
      reason: first.reason === 'malformed' ? 'malformed' : 'bad_signature',
      message: `first: ${first.message}`,
    };
  }
  const second = openCheckpoint(typeof p.second === 'string' ? p.second : '', key);
  if (!second.ok) {
    return {
      ok: false,
      reason: second.reason === 'malformed' ? 'malformed' : 'bad_signature',
      message: `second: ${second.message}`,
    };
  }
  const a = first.checkpoint;
  const b = second.checkpoint;
  if (a.shopId !== b.shopId)
    return { ok: false, reason: 'inconsistent', message: 'the checkpoints are of two shops' };
  const ok = verifyConsistency(
    a.size,
    b.size,
    Buffer.from(a.rootHash, 'hex'),
    Buffer.from(b.rootHash, 'hex'),
    path,
  );
  if (!ok) {
    return {
      ok: false,
      reason: 'inconsistent',
      message: `the log of ${b.size} entries does not extend the log of ${a.size} entries`,
    };
  }
  return { ok: true, first: a, second: b };
}
