import { createHash } from 'node:crypto';

/**
 * Merkle tree hashing of RFC 6962 / RFC 9162 §2.1 (Certificate Transparency). Written from the
 * RFC text: a leaf hashes as SHA-256(0x00 || data), an inner node as SHA-256(0x01 || left ||
 * right), so a leaf can never pass for a node (second-preimage resistance). The split of n
 * leaves is at k, the largest power of two smaller than n.
 *
 * Sizes and indices are plain numbers; the arithmetic avoids 32-bit bitwise operators, so it
 * holds up to Number.MAX_SAFE_INTEGER.
 */

export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

export function leafHash(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

function checkHash(h: Uint8Array, what: string): void {
  if (h.length !== HASH_BYTES) throw new RangeError(`${what} must be ${HASH_BYTES} bytes, got ${h.length}`);
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${what} must be a whole number >= 0, got ${n}`);
}

/**
 * One level of complete subtree hashes, 32 bytes each in one growing buffer: a log of a million
 * entries would otherwise hold two million small Buffer objects for the garbage collector.
 */
class Level {
  #buf = Buffer.alloc(HASH_BYTES * 64);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_BYTES > this.#buf.length) {
      const grown = Buffer.alloc(this.#buf.length * 2);
      this.#buf.copy(grown);
      this.#buf = grown;
    }
    this.#buf.set(hash, this.count * HASH_BYTES);
    this.count++;
  }

  /** A view, not a copy: callers inside this file only read it. */
  at(i: number): Buffer {
    return this.#buf.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

/**
 * An append-only Merkle tree over leaf hashes. It keeps the hash of every complete (perfect,
 * aligned) subtree, so any root, inclusion proof or consistency proof of any earlier size
 * costs O(log n) hashes instead of rehashing the log; about 64 bytes per leaf in all.
 */
export class MerkleTree {
  /** levels[h].at(j): hash of the 2^h leaves from j·2^h on; only complete subtrees are kept. */
  readonly #levels: Level[] = [new Level()];

  constructor(leafHashes: Iterable<Uint8Array> = []) {
    for (const h of leafHashes) this.push(h);
  }

  /** A tree over raw leaf data (each hashed with the 0x00 prefix). */
  static fromLeaves(leaves: Iterable<Uint8Array | string>): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leaves) tree.push(leafHash(leaf));
    return tree;
  }

  get size(): number {
    return this.#levels[0]!.count;
  }

  /** Appends a leaf hash (already prefixed and hashed, see `leafHash`). */
  push(hash: Uint8Array): void {
    checkHash(hash, 'leaf hash');
    const leaves = this.#levels[0]!;
    leaves.push(hash);
    // Each completed pair closes a subtree one level up, as in binary counting.
    let index = leaves.count - 1;
    let level = 0;
    while (index % 2 === 1) {
      const row = this.#levels[level]!;
      const parent = nodeHash(row.at(index - 1), row.at(index));
      level++;
      if (this.#levels[level] === undefined) this.#levels[level] = new Level();
      this.#levels[level]!.push(parent);
      index = (index - 1) / 2;
    }
  }

  leafHash(index: number): Buffer {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf ${index} is not in a tree of size ${this.size}`);
    }
    return Buffer.from(this.#levels[0]!.at(index));
  }

  /** MTH(D[0:size]). */
  root(size: number = this.size): Buffer {
    this.#checkTreeSize(size);
    return Buffer.from(this.#range(0, size));
  }

  /** PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, the sibling next to the leaf first. */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    this.#checkTreeSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
    }
    const out: Buffer[] = [];
    this.#path(index, 0, size, out);
    return out.map((h) => Buffer.from(h));
  }

  /** PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1; empty when first is 0 or equals second. */
  consistencyProof(first: number, second: number = this.size): Buffer[] {
    this.#checkTreeSize(second);
    checkSize(first, 'first tree size');
    if (first > second) throw new RangeError(`first tree size ${first} is larger than second ${second}`);
    const out: Buffer[] = [];
    if (first === 0 || first === second) return out;
    this.#subproof(first, 0, second, true, out);
    return out.map((h) => Buffer.from(h));
  }

  #checkTreeSize(size: number): void {
    checkSize(size, 'tree size');
    if (size > this.size) throw new RangeError(`tree size ${size} is larger than the tree (${this.size})`);
  }

  /** MTH(D[lo:hi]). */
  #range(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n) && lo % n === 0) {
      let level = 0;
      for (let m = n; m > 1; m /= 2) level++;
      return this.#levels[level]!.at(lo / n);
    }
    const k = splitPoint(n);
    return nodeHash(this.#range(lo, lo + k), this.#range(lo + k, hi));
  }

  // The proofs below list hashes from the leaf upwards: the recursion appends after it returns.
  #path(m: number, lo: number, hi: number, out: Buffer[]): void {
    const n = hi - lo;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.#path(m, lo, lo + k, out);
      out.push(this.#range(lo + k, hi));
    } else {
      this.#path(m - k, lo + k, hi, out);
      out.push(this.#range(lo, lo + k));
    }
  }

  #subproof(m: number, lo: number, hi: number, whole: boolean, out: Buffer[]): void {
    const n = hi - lo;
    if (m === n) {
      if (!whole) out.push(this.#range(lo, hi));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.#subproof(m, lo, lo + k, whole, out);
      out.push(this.#range(lo + k, hi));
    } else {
      this.#subproof(m - k, lo + k, hi, false, out);
      out.push(this.#range(lo, lo + k));
    }
  }
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof cannot
 * belong to that index and size (too long, too short, or index out of range).
 */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Buffer | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leaf.length !== HASH_BYTES || proof.some((p) => p.length !== HASH_BYTES)) return null;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        // A right edge: climb until this node is a right child again (or the root).
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!isOdd(fn) && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/** Whether `proof` shows the leaf hash at `index` in the tree of `size` leaves with `root`. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const r = rootFromInclusionProof(leaf, index, size, proof);
  return r !== null && root.length === HASH_BYTES && r.equals(root);
}

/**
 * Whether `proof` shows that the tree of `second` leaves with `secondRoot` extends the tree of
 * `first` leaves with `firstRoot` by appending only (RFC 9162 §2.1.4.2). The two cases the
 * RFC algorithm leaves out: equal sizes need equal roots and an empty proof; an empty first
 * tree is a prefix of any tree.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    return false;
  }
  if (firstRoot.length !== HASH_BYTES || secondRoot.length !== HASH_BYTES) return false;
  if (proof.some((p) => p.length !== HASH_BYTES)) return false;
  if (first === 0) return proof.length === 0 && EMPTY_ROOT.equals(firstRoot);
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (proof.length === 0) return false;

  // When the old tree is a complete subtree, its root is the first node of the path.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!isOdd(fn) && fn !== 0);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
