import type { Models } from '../models/models';
import { PURCHASE } from '../models/sessions';
import { type Board, Comp } from './board';

/** An item that candidates are scored against; `source` is its scope event index or -1 (page item). */
export interface Anchor {
  item: number;
  source: number;
  weight: number;
}

/**
 * Items seen in the same sessions as the page item (session co-occurrence over the item's most recent
 * sessions, c_ij / √df_j — the cosine c_ij / √(df_i·df_j) up to a constant). Non-personal.
 */
export function scoreSimilar(models: Models, board: Board, item: number, weight: number): void {
  const store = models.sessions;
  const o = models.options;
  const post = store.postings[item] ?? [];
  const stop = Math.max(0, post.length - o.postingsCap);
  board.beginRaw();
  for (let j = post.length - 1; j >= stop; j--) {
    const b = store.start[post[j]!]!;
    const end = b + store.slotLength[post[j]!]!;
    for (let q = b; q < end; q++) {
      const c = store.itemData[q]!;
      if (c !== item) board.addRaw(c, 1 / Math.sqrt(store.postingCount[c]!), -1);
    }
  }
  board.merge(Comp.Similar, weight);
}

/**
 * Items bought in the same baskets as the anchors (count of co-purchases over each anchor's most
 * recent baskets, normalised by √(baskets of the candidate)). Blended as `Comp.Together` when
 * `merge` is true, otherwise left in the raw buffer for the caller.
 */
export function scoreCoPurchase(
  models: Models,
  board: Board,
  anchors: readonly Anchor[],
  merge: boolean,
): void {
  const store = models.sessions;
  const o = models.options;
  if (merge) board.beginRaw();
  for (const anchor of anchors) {
    const baskets = store.purchases[anchor.item] ?? [];
    const stop = Math.max(0, baskets.length - o.postingsCap);
    for (let j = baskets.length - 1; j >= stop; j--) {
      const slot = baskets[j]!;
      const seq = store.itemData;
      const types = store.typeData;
      const b = store.start[slot]!;
      const end = b + store.slotLength[slot]!;
      for (let q = b; q < end; q++) {
        const c = seq[q]!;
        if (c === anchor.item || types[q] !== PURCHASE || firstPurchaseAt(seq, types, b, end, c) !== q)
          continue;
        board.addRaw(c, anchor.weight / Math.sqrt(store.purchases[c]!.length), anchor.source);
      }
    }
  }
  if (merge) board.merge(Comp.Together, 1);
}

/** Arena index of the first purchase of `item` in the session `[b, end)`, or -1. */
function firstPurchaseAt(seq: Int32Array, types: Int8Array, b: number, end: number, item: number): number {
  for (let q = b; q < end; q++) if (seq[q] === item && types[q] === PURCHASE) return q;
  return -1;
}
