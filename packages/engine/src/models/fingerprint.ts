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
