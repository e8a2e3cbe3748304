import { easeWeights } from './ease';
import { compareIds } from './popularity';
import type { SessionStore } from './sessions';

/** EASE item-item weights over the most-bought items, derived from the session store's purchases. */
export interface EaseModel {
  /** item -> row in `weights`, or -1 */
  readonly row: Int32Array;
  /** row -> item */
  readonly items: Int32Array;
  readonly n: number;
  /** n × n row-major, weights[h·n + j] = B_hj; null when only the sparse neighbours are kept */
  readonly weights: Float32Array | null;
  /**
   * Sparse top-K positive neighbours per row (CSR): row h's neighbours are
   * nbrCol[nbrStart[h] .. nbrStart[h+1]) with weights nbrW (descending). Derived from `weights`
   * at build time, so a query is O(history × K) instead of O(history × n).
   */
  readonly nbrStart: Int32Array;
  readonly nbrCol: Int32Array;
  readonly nbrW: Float32Array;
  /** subjects whose purchases went into the Gram matrix (erasing one invalidates the model) */
  readonly subjects: ReadonlySet<string>;
}

/** Distinct items each subject bought, from the purchase index. */
function purchaseSets(store: SessionStore): Map<string, Set<number>> {
  const sets = new Map<string, Set<number>>();
  for (let item = 0; item < store.purchases.length; item++) {
    for (const slot of store.purchases[item] ?? []) {
      const subject = store.subjects[slot]!;
      let set = sets.get(subject);
      if (!set) {
        set = new Set();
        sets.set(subject, set);
      }
      set.add(item);
    }
  }
  return sets;
}

type EaseOptions = {
  easeLambda: number;
  easeMinBuyers: number;
  easeMaxItems: number;
  easeNeighbours: number;
};

/**
 * What the O(n³) EASE solve needs and what the model is assembled from afterwards. The Gram
 * matrix is a plain Float64Array, so the solve can run in another thread.
 */
export interface EaseInput {
  readonly gram: Float64Array;
  readonly n: number;
  readonly lambda: number;
  readonly neighbours: number;
  readonly row: Int32Array;
  readonly items: Int32Array;
  readonly subjects: ReadonlySet<string>;
}

export function buildEase(store: SessionStore, ids: readonly string[], opts: EaseOptions): EaseModel | null {
  const input = prepareEase(store, ids, opts);
  return input === null ? null : finishEase(input, easeWeights(input.gram, input.n, input.lambda));
}

/** Everything of an EASE build before the solve: the chosen items and their Gram matrix. */
export function prepareEase(
  store: SessionStore,
  ids: readonly string[],
  opts: EaseOptions,
): EaseInput | null {
  const sets = purchaseSets(store);
  const itemCount = ids.length;
  const buyers = new Int32Array(itemCount);
  for (const set of sets.values()) for (const item of set) buyers[item]!++;
  const chosen: number[] = [];
  for (let item = 0; item < itemCount; item++) if (buyers[item]! >= opts.easeMinBuyers) chosen.push(item);
  if (chosen.length < 2) return null;
  // Order by id, not by interned index, so that equal states give bit-identical weights.
  chosen.sort((a, b) => buyers[b]! - buyers[a]! || compareIds(ids[a]!, ids[b]!));
  const items = Int32Array.from(
    chosen.slice(0, opts.easeMaxItems).sort((a, b) => compareIds(ids[a]!, ids[b]!)),
  );
  const n = items.length;
  const row = new Int32Array(itemCount).fill(-1);
  items.forEach((item, r) => {
    row[item] = r;
  });
  const gram = new Float64Array(n * n);
  const rows: number[] = [];
  for (const set of sets.values()) {
    rows.length = 0;
    for (const item of set) {
      const r = row[item]!;
      if (r >= 0) rows.push(r);
    }
    for (const a of rows) {
      const ra = a * n;
      for (const b of rows) gram[ra + b]!++;
    }
  }
  return {
    gram,
    n,
    lambda: opts.easeLambda,
    neighbours: Math.floor(opts.easeNeighbours),
    row,
    items,
    subjects: new Set(sets.keys()),
  };
}

/** The model from a prepared input and the solved weights (`easeWeights(gram, n, lambda)`). */
export function finishEase(input: EaseInput, weights: Float32Array): EaseModel {
  const { n, neighbours: k } = input;
  const sparse = topNeighbours(weights, n, k > 0 ? k : n);
  return {
    row: input.row,
    items: input.items,
    n,
    weights: k > 0 ? null : weights,
    ...sparse,
    subjects: input.subjects,
  };
}

/** The k largest positive weights of each row (ties by column), in descending order. */
function topNeighbours(
  weights: Float32Array,
  n: number,
  k: number,
): { nbrStart: Int32Array; nbrCol: Int32Array; nbrW: Float32Array } {
  const start = new Int32Array(n + 1);
  const cols: number[] = [];
  const ws: number[] = [];
  const vals = new Float32Array(n);
  const pick: number[] = [];
  for (let r = 0; r < n; r++) {
    const base = r * n;
    let m = 0;
    for (let c = 0; c < n; c++) {
      const v = weights[base + c]!;
      if (v > 0) vals[m++] = v;
    }
    let threshold = 0;
    if (m > k) {
      const head = vals.subarray(0, m).sort();
      threshold = head[m - k]!;
    }
    pick.length = 0;
    for (let c = 0; c < n; c++) {
      const v = weights[base + c]!;
      if (v > 0 && v >= threshold) pick.push(c);
    }
    pick.sort((a, b) => weights[base + b]! - weights[base + a]! || a - b);
    if (pick.length > k) pick.length = k;
    for (const c of pick) {
      cols.push(c);
      ws.push(weights[base + c]!);
    }
    start[r + 1] = cols.length;
  }
  return { nbrStart: start, nbrCol: Int32Array.from(cols), nbrW: Float32Array.from(ws) };
}
