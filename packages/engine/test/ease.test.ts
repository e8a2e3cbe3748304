import { describe, expect, it } from 'vitest';
import { easeWeights } from '../src/models/ease';

/** The row-by-row solve the blocked one must equal bit for bit (Cholesky, L⁻¹, P = XᵀX, B). */
function reference(gram: Float64Array, n: number, lambda: number): Float32Array {
  const a = gram;
  for (let i = 0; i < n; i++) a[i * n + i]! += lambda;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = j === i ? Math.sqrt(s) : s / a[j * n + j]!;
    }
  }
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = a[i * n + k]!;
      if (l === 0) continue;
      for (let c = 0; c <= k; c++) x[i * n + c]! -= l * x[k * n + c]!;
    }
    x[i * n + i]! += 1;
    for (let c = 0; c <= i; c++) x[i * n + c]! /= a[i * n + i]!;
  }
  const p = a;
  p.fill(0);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r <= i; r++) {
      const xr = x[i * n + r]!;
      if (xr === 0) continue;
      for (let c = 0; c <= r; c++) p[r * n + c]! += xr * x[i * n + c]!;
    }
  }
  const b = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < r; c++) {
      b[r * n + c] = -p[r * n + c]! / p[c * n + c]!;
      b[c * n + r] = -p[r * n + c]! / p[r * n + r]!;
    }
  }
  return b;
}

/** The Gram matrix of a seeded sparse binary buyer × item matrix (some items never co-bought). */
function gramOf(n: number, buyers: number, seed: number): Float64Array {
  let state = seed;
  const rnd = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const g = new Float64Array(n * n);
  for (let u = 0; u < buyers; u++) {
    const items = new Set<number>();
    const m = 1 + Math.floor(rnd() * 6);
    for (let t = 0; t < m; t++) items.add(Math.floor(rnd() ** 2 * n));
    for (const a of items) for (const b of items) g[a * n + b]!++;
  }
  return g;
}

describe('EASE solve', () => {
  it('the blocked solve equals the row-by-row one bit for bit (block and unroll edges, zero factors)', () => {
    for (const n of [1, 2, 3, 5, 16, 17, 35, 70]) {
      const g = gramOf(n, n * 2, n);
      const got = easeWeights(g.slice(), n, 50);
      const want = reference(g.slice(), n, 50);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `n=${n}`).toBe(true);
    }
  });
});
