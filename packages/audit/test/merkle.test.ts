import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  leafHash,
  MerkleTree,
  nodeHash,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../src/index';

const hex = (b: Buffer): string => b.toString('hex');
const unhex = (h: string): Buffer => Buffer.from(h, 'hex');

// The test data of Certificate Transparency's reference implementation (RFC 6962): eight
// leaves and the published root of every prefix, two audit paths and two consistency proofs.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const ct = MerkleTree.fromLeaves(CT_LEAVES.map(unhex));

/** MTH of RFC 9162 §2.1.1 written as plainly as the text, to check the tree's cached version. */
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function treeOf(n: number, salt = 0): MerkleTree {
  return MerkleTree.fromLeaves(Array.from({ length: n }, (_, i) => `leaf ${salt} ${i}`));
}

function flipBit(b: Buffer, bit: number): Buffer {
  const c = Buffer.from(b);
  c[Math.floor(bit / 8) % c.length]! ^= 1 << (bit % 8);
  return c;
}

describe('D5: RFC 6962 Merkle tree', () => {
  it('matches the Certificate Transparency roots for every size 0..8', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(hex(ct.root(n)), `size ${n}`).toBe(CT_ROOTS[n]);
  });

  it('leaves hash with prefix 0x00 and nodes with 0x01', () => {
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(
      hex(
        createHash('sha256')
          .update(Buffer.from([0]))
          .digest(),
      ),
    );
    const a = leafHash('a');
    const b = leafHash('b');
    expect(nodeHash(a, b)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), a, b]))
        .digest(),
    );
  });

  it('produces the CT reference audit paths and consistency proofs, and they verify', () => {
    expect(ct.inclusionProof(0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(ct.inclusionProof(5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(ct.consistencyProof(2, 8).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(ct.consistencyProof(6, 8).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    const root8 = unhex(CT_ROOTS[8]!);
    expect(verifyInclusion(ct.leafHash(5), 5, 8, ct.inclusionProof(5, 8), root8)).toBe(true);
    expect(verifyConsistency(6, 8, unhex(CT_ROOTS[6]!), root8, ct.consistencyProof(6, 8))).toBe(true);
  });

  it('the cached tree gives the same root as the plain recursive definition, for every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, salt) => {
        const t = treeOf(n, salt);
        const leaves = Array.from({ length: n }, (_, i) => t.leafHash(i));
        for (const m of [0, Math.floor(n / 3), n - 1, n].filter((x) => x >= 0)) {
          expect(t.root(m)).toEqual(referenceRoot(leaves.slice(0, m)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('D5: inclusion proofs verify for every i < n (all n up to 130)', () => {
    for (let n = 1; n <= 130; n++) {
      const t = treeOf(n);
      const root = t.root();
      for (let i = 0; i < n; i++) {
        expect(verifyInclusion(t.leafHash(i), i, n, t.inclusionProof(i), root), `${i}/${n}`).toBe(true);
      }
    }
  });

  it('D5: inclusion proofs verify for every i < n of random, larger trees', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 3000 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        ([n, i]) => {
          const t = treeOf(n);
          expect(verifyInclusion(t.leafHash(i), i, n, t.inclusionProof(i), t.root())).toBe(true);
          // Against an earlier checkpoint too.
          const m = Math.max(i + 1, Math.floor(n / 2));
          expect(verifyInclusion(t.leafHash(i), i, m, t.inclusionProof(i, m), t.root(m))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('D5: any single-bit change of the leaf, a proof hash or the root makes an inclusion proof fail', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 600 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.nat(), fc.nat(255))),
        ([n, i, pick, bit]) => {
          const t = treeOf(n);
          const leaf = t.leafHash(i);
          const proof = t.inclusionProof(i);
          const root = t.root();
          expect(verifyInclusion(flipBit(leaf, bit), i, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, i, n, proof, flipBit(root, bit))).toBe(false);
          if (proof.length > 0) {
            const j = pick % proof.length;
            const bad = proof.map((p, k) => (k === j ? flipBit(p, bit) : p));
            expect(verifyInclusion(leaf, i, n, bad, root)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('D5: an inclusion proof fails at another index, out of range, shortened or lengthened', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 600 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        ([n, i]) => {
          const t = treeOf(n);
          const leaf = t.leafHash(i);
          const proof = t.inclusionProof(i);
          const root = t.root();
          expect(verifyInclusion(leaf, (i + 1) % n, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, i, n, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(leaf, i, n, [...proof, leaf], root)).toBe(false);
          expect(verifyInclusion(leaf, n, n, proof, root)).toBe(false);
          expect(rootFromInclusionProof(leaf, -1, n, proof)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('D5: consistency proofs verify for all m <= n (all n up to 70)', () => {
    for (let n = 0; n <= 70; n++) {
      const t = treeOf(n);
      for (let m = 0; m <= n; m++) {
        expect(verifyConsistency(m, n, t.root(m), t.root(n), t.consistencyProof(m, n)), `${m}->${n}`).toBe(
          true,
        );
      }
    }
  });

  it('D5: consistency proofs verify for all m <= n of random, larger trees', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 3000 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        ([n, m]) => {
          const t = treeOf(n);
          expect(verifyConsistency(m, n, t.root(m), t.root(n), t.consistencyProof(m, n))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('D5: any single-bit change of a consistency proof or either root makes it fail', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 600 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.nat(), fc.nat(255))),
        ([n, m, pick, bit]) => {
          const t = treeOf(n);
          const proof = t.consistencyProof(m, n);
          const [r1, r2] = [t.root(m), t.root(n)];
          expect(verifyConsistency(m, n, flipBit(r1, bit), r2, proof)).toBe(false);
          expect(verifyConsistency(m, n, r1, flipBit(r2, bit), proof)).toBe(false);
          const j = pick % proof.length;
          expect(
            verifyConsistency(
              m,
              n,
              r1,
              r2,
              proof.map((p, k) => (k === j ? flipBit(p, bit) : p)),
            ),
          ).toBe(false);
          expect(verifyConsistency(m, n, r1, r2, proof.slice(0, -1))).toBe(false);
          expect(verifyConsistency(m, n, r1, r2, [...proof, r1])).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('D5: a rewritten history is not consistent with the old root', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 300 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.nat())),
        ([n, m, pick]) => {
          const honest = treeOf(n);
          const changed = pick % m;
          const forged = MerkleTree.fromLeaves(
            Array.from({ length: n }, (_, i) => (i === changed ? `forged ${i}` : `leaf 0 ${i}`)),
          );
          // The forger proves from its own tree; the customer holds the honest old root.
          const proof = forged.consistencyProof(m, n);
          expect(verifyConsistency(m, n, honest.root(m), forged.root(n), proof)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('handles the degenerate cases of RFC 9162: equal sizes and the empty tree', () => {
    const t = treeOf(5);
    expect(t.consistencyProof(5, 5)).toEqual([]);
    expect(t.consistencyProof(0, 5)).toEqual([]);
    expect(verifyConsistency(5, 5, t.root(), t.root(), [])).toBe(true);
    expect(verifyConsistency(5, 5, t.root(), t.root(4), [])).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, t.root(), [])).toBe(true);
    expect(verifyConsistency(0, 5, t.root(1), t.root(), [])).toBe(false);
    expect(verifyConsistency(4, 5, t.root(4), t.root(), [])).toBe(false);
    expect(verifyConsistency(5, 4, t.root(), t.root(4), [])).toBe(false);
    expect(() => t.inclusionProof(5)).toThrow(RangeError);
    expect(() => t.root(6)).toThrow(RangeError);
    expect(() => t.consistencyProof(3, 2)).toThrow(RangeError);
    expect(() => t.push(Buffer.alloc(31))).toThrow(RangeError);
  });
});
