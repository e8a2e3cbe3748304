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
  /** n × n row-major, weights[h·n + j] = B_hj */
  readonly weights: Float32Array;
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

export function buildEase(
  store: SessionStore,
  ids: readonly string[],
  opts: { easeLambda: number; easeMinBuyers: number; easeMaxItems: number },
): EaseModel | null {
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
  return { row, items, n, weights: easeWeights(gram, n, opts.easeLambda), subjects: new Set(sets.keys()) };
}
