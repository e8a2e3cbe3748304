/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019):
 * P = (G + λI)⁻¹ with G = XᵀX the item Gram matrix of the binary subject × item purchase matrix,
 * B_ij = -P_ij / P_jj and B_jj = 0. Scores are s = x·B.
 *
 * The inverse is taken through a Cholesky factor G + λI = LLᵀ: P = L⁻ᵀL⁻¹, all three steps on
 * row-major Float64Arrays with contiguous inner loops (about n³/2 multiply-adds).
 */
export function easeWeights(gram: Float64Array, n: number, lambda: number): Float32Array {
  const a = gram;
  for (let i = 0; i < n; i++) a[i * n + i]! += lambda;
  // Cholesky–Banachiewicz: L in the lower triangle of `a`.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = j === i ? Math.sqrt(s) : s / a[rj + j]!;
    }
  }
  // X = L⁻¹ (lower), row by row: X_i = (e_i - Σ_{k<i} L_ik X_k) / L_ii.
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const l = a[ri + k]!;
      if (l === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) x[ri + c]! -= l * x[rk + c]!;
    }
    x[ri + i]! += 1;
    const d = a[ri + i]!;
    for (let c = 0; c <= i; c++) x[ri + c]! /= d;
  }
  // P = XᵀX, lower triangle accumulated as rank-1 updates of the rows of X.
  const p = a; // L is no longer needed
  p.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let r = 0; r <= i; r++) {
      const xr = x[ri + r]!;
      if (xr === 0) continue;
      const rr = r * n;
      for (let c = 0; c <= r; c++) p[rr + c]! += xr * x[ri + c]!;
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
