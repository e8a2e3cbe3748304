/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019):
 * P = (G + λI)⁻¹ with G = XᵀX the item Gram matrix of the binary subject × item purchase matrix,
 * B_ij = -P_ij / P_jj and B_jj = 0. Scores are s = x·B.
 *
 * The inverse is taken through a Cholesky factor G + λI = LLᵀ: P = L⁻ᵀL⁻¹, all three steps on
 * row-major Float64Arrays with contiguous inner loops (about n³/2 multiply-adds).
 */
/** Rows per block of the solve (a block of 3,000-wide rows stays in a 512 KiB cache). */
const BLOCK = 16;

export function easeWeights(gram: Float64Array, n: number, lambda: number): Float32Array {
  const a = gram;
  for (let i = 0; i < n; i++) a[i * n + i]! += lambda;
  // Every step works on blocks of BLOCK rows so that each earlier row it reads is read once per
  // block instead of once per row (the matrices are far larger than the caches). Each entry still
  // sees the same operations in the same order as the row-by-row algorithm: the results are
  // bit-identical to it.
  // Cholesky–Banachiewicz: L in the lower triangle of `a`.
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      const d = a[rj + j]!;
      let i = i0;
      // Four rows at a time: four independent sums (each in its own order) keep the FPU busy.
      for (; i + 3 < i1; i += 4) {
        const r0 = i * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        let s0 = a[r0 + j]!;
        let s1 = a[r1 + j]!;
        let s2 = a[r2 + j]!;
        let s3 = a[r3 + j]!;
        for (let k = 0; k < j; k++) {
          const v = a[rj + k]!;
          s0 -= a[r0 + k]! * v;
          s1 -= a[r1 + k]! * v;
          s2 -= a[r2 + k]! * v;
          s3 -= a[r3 + k]! * v;
        }
        a[r0 + j] = s0 / d;
        a[r1 + j] = s1 / d;
        a[r2 + j] = s2 / d;
        a[r3 + j] = s3 / d;
      }
      for (; i < i1; i++) {
        const ri = i * n;
        let s = a[ri + j]!;
        for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = s / d;
      }
    }
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      for (let j = i0; j <= i; j++) {
        const rj = j * n;
        let s = a[ri + j]!;
        for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = j === i ? Math.sqrt(s) : s / a[rj + j]!;
      }
    }
  }
  // X = L⁻¹ (lower), row by row: X_i = (e_i - Σ_{k<i} L_ik X_k) / L_ii.
  const x = new Float64Array(n * n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let k = 0; k < i0; k++) {
      const rk = k * n;
      let i = i0;
      // Four rows at a time where none skips (a zero factor skips its row, as row by row).
      for (; i + 3 < i1; i += 4) {
        const r0 = i * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        const l0 = a[r0 + k]!;
        const l1 = a[r1 + k]!;
        const l2 = a[r2 + k]!;
        const l3 = a[r3 + k]!;
        if (l0 === 0 || l1 === 0 || l2 === 0 || l3 === 0) {
          for (let r = r0; r <= r3; r += n) {
            const l = a[r + k]!;
            if (l === 0) continue;
            for (let c = 0; c <= k; c++) x[r + c]! -= l * x[rk + c]!;
          }
          continue;
        }
        for (let c = 0; c <= k; c++) {
          const v = x[rk + c]!;
          x[r0 + c]! -= l0 * v;
          x[r1 + c]! -= l1 * v;
          x[r2 + c]! -= l2 * v;
          x[r3 + c]! -= l3 * v;
        }
      }
      for (; i < i1; i++) {
        const ri = i * n;
        const l = a[ri + k]!;
        if (l === 0) continue;
        for (let c = 0; c <= k; c++) x[ri + c]! -= l * x[rk + c]!;
      }
    }
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      for (let k = i0; k < i; k++) {
        const l = a[ri + k]!;
        if (l === 0) continue;
        const rk = k * n;
        for (let c = 0; c <= k; c++) x[ri + c]! -= l * x[rk + c]!;
      }
      x[ri + i]! += 1;
      const d = a[ri + i]!;
      for (let c = 0; c <= i; c++) x[ri + c]! /= d;
    }
  }
  // P = XᵀX, lower triangle accumulated as rank-1 updates of the rows of X (in row order of X
  // for every entry), one block of P's rows at a time.
  const p = a; // L is no longer needed
  p.fill(0);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let i = r0; i < n; i++) {
      const ri = i * n;
      const last = Math.min(r1 - 1, i);
      let r = r0;
      // Four rows of P at a time where none skips (a zero factor skips its row, as row by row).
      for (; r + 3 <= last; r += 4) {
        const x0 = x[ri + r]!;
        const x1 = x[ri + r + 1]!;
        const x2 = x[ri + r + 2]!;
        const x3 = x[ri + r + 3]!;
        if (x0 === 0 || x1 === 0 || x2 === 0 || x3 === 0) {
          for (let q = r; q < r + 4; q++) {
            const xq = x[ri + q]!;
            if (xq === 0) continue;
            const rq = q * n;
            for (let c = 0; c <= q; c++) p[rq + c]! += xq * x[ri + c]!;
          }
          continue;
        }
        const p0 = r * n;
        const p1 = p0 + n;
        const p2 = p1 + n;
        const p3 = p2 + n;
        for (let c = 0; c <= r; c++) {
          const v = x[ri + c]!;
          p[p0 + c]! += x0 * v;
          p[p1 + c]! += x1 * v;
          p[p2 + c]! += x2 * v;
          p[p3 + c]! += x3 * v;
        }
        p[p1 + r + 1]! += x1 * x[ri + r + 1]!;
        for (let c = r + 1; c <= r + 2; c++) p[p2 + c]! += x2 * x[ri + c]!;
        for (let c = r + 1; c <= r + 3; c++) p[p3 + c]! += x3 * x[ri + c]!;
      }
      for (; r <= last; r++) {
        const xr = x[ri + r]!;
        if (xr === 0) continue;
        const rr = r * n;
        for (let c = 0; c <= r; c++) p[rr + c]! += xr * x[ri + c]!;
      }
    }
  }
  const b = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < r; c++) {
      const v = p[r * n + c]!;
      b[r * n + c] = -v / p[c * n + c]!;
      b[c * n + r] = -v / p[r * n + r]!;
    }
  }
  return b;
}
