/** Deterministic 64-bit FNV-1a over UTF-16 code units, as two 32-bit halves (no I/O, no crypto). */
export class Fnv64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  update(text: string): this {
    let { hi, lo } = this;
    for (let i = 0; i < text.length; i++) {
      lo ^= text.charCodeAt(i);
      // multiply (hi,lo) by the FNV prime 0x100000001b3 modulo 2^64
      const l = lo * 0x1b3;
      const h = hi * 0x1b3 + lo * 0x100 + Math.floor(l / 0x100000000);
      lo = l >>> 0;
      hi = h >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** Two independent 32-bit multiplicative hashes of a text (cyrb53's mixing), as [hi, lo]. */
function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

const TWO_32 = 0x100000000;

/**
 * An order-independent 64-bit digest of a multiset of texts: the sum, modulo 2^64, of a hash
 * of each. Adding a text and removing it again restores the digest, and two multisets built in
 * any order give the same one, so it can be kept up to date in O(1) per event where the full
 * `fingerprint()` walks the whole state. Not collision resistant against an adversary; it
 * names a state, it does not sign it.
 */
export class MultisetDigest {
  private hi = 0;
  private lo = 0;

  add(text: string, sign: 1 | -1): void {
    const [h1, h2] = hash64(text);
    const l = this.lo + sign * h2;
    const carry = Math.floor(l / TWO_32);
    this.lo = l - carry * TWO_32;
    this.hi = (this.hi + sign * h1 + carry) >>> 0;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}
