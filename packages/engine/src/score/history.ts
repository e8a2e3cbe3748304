import { itemCycle, repurchaseProbability } from '../models/cycles';
import type { Models } from '../models/models';
import { DAY_MS } from '../models/popularity';
import type { Scope } from '../scope';
import { type Board, Comp } from './board';
import { scoreCoPurchase } from './items';

/** At most this many (most recent) purchased items feed the item-item part of a query. */
const CF_MAX_ITEMS = 100;

/** The subject's purchases per item (oldest last purchase first): distinct purchase days, latest event. */
export interface Purchases {
  items: number[];
  days: Map<number, number[]>;
  lastEvent: Map<number, number>;
  /** bought items whose repurchase is not due (`repurchaseDue`): no own-purchase or predicted score */
  held?: ReadonlySet<number>;
  /** per bought item, `repurchaseProbability` today, when `notDue` computed it (shared, computed once) */
  probability?: ReadonlyMap<number, number>;
}

/** Purchases in the scope (session and history), one per item and day. */
export function purchasesOf(scope: Scope): Purchases {
  const days = new Map<number, number[]>();
  const lastEvent = new Map<number, number>();
  scope.events.forEach((ev, e) => {
    if (ev.type !== 'purchase' || ev.item < 0) return;
    const day = Math.floor(ev.ts / DAY_MS);
    const list = days.get(ev.item);
    if (!list) days.set(ev.item, [day]);
    else if (!list.includes(day)) list.push(day);
    const prev = lastEvent.get(ev.item);
    if (prev === undefined || scope.events[prev]!.ts <= ev.ts) lastEvent.set(ev.item, e);
  });
  for (const list of days.values()) list.sort((a, b) => a - b);
  const last = (item: number) => scope.events[lastEvent.get(item)!]!.ts;
  const items = [...days.keys()].sort((a, b) => last(a) - last(b) || a - b);
  return { items, days, lastEvent };
}

/**
 * Level 2: the subject's own purchases (frequency with exponential recency decay, per purchase
 * day: Σ exp(-age/τ)) and what goes with them (EASE, Steck WWW 2019; co-purchase counts for
 * items outside the EASE model or while it is being recomputed).
 */
export function scoreHistory(models: Models, board: Board, bought: Purchases, now: number): void {
  const o = models.options;
  if (bought.items.length === 0) return;
  const today = now / DAY_MS;
  board.beginRaw();
  for (const item of bought.items) {
    if (bought.held?.has(item)) continue;
    let s = 0;
    for (const day of bought.days.get(item)!) s += Math.exp(-Math.max(0, today - day - 0.5) / o.ownDecayDays);
    if (o.ownRepeatExponent > 0) {
      const c = itemCycle(models, item);
      s *= ((c.repeaters + 1) / (c.buyers + 2)) ** o.ownRepeatExponent;
    }
    board.addRaw(item, s, bought.lastEvent.get(item)!);
  }
  board.merge(Comp.Own, o.weightOwn);

  const ease = models.ease;
  board.beginRaw();
  const outside: { item: number; source: number; weight: number }[] = [];
  const inside: { row: number; source: number }[] = [];
  for (const item of bought.items) {
    const source = bought.lastEvent.get(item)!;
    const r = ease && item < ease.row.length ? ease.row[item]! : -1;
    if (r >= 0) inside.push({ row: r, source });
    else outside.push({ item, source, weight: 1 });
  }
  if (ease && inside.length > 0) {
    // s = x·B over the most recent purchases; the source of each candidate is the purchase with
    // the largest single weight.
    const recent = inside.slice(-CF_MAX_ITEMS);
    const { n, weights } = ease;
    if (weights === null) {
      // Sparse top-K positive neighbours per purchased item.
      const { nbrStart, nbrCol, nbrW, items } = ease;
      for (const { row, source } of recent) {
        for (let e = nbrStart[row]!, end = nbrStart[row + 1]!; e < end; e++)
          board.addRaw(items[nbrCol[e]!]!, nbrW[e]!, source);
      }
    } else {
      // Dense rows (negative weights included), accumulated in dense buffers.
      board.dense(n);
      const acc = board.denseAcc;
      const best = board.denseBest;
      const src = board.denseSrc;
      for (const { row, source } of recent) {
        const base = row * n;
        for (let c = 0; c < n; c++) {
          const v = weights[base + c]!;
          acc[c]! += v;
          if (v > best[c]!) {
            best[c] = v;
            src[c] = source;
          }
        }
      }
      for (let c = 0; c < n; c++) if (acc[c]! > 0) board.addRaw(ease.items[c]!, acc[c]!, src[c]!);
    }
  }
  if (outside.length > 0) scoreCoPurchase(models, board, outside, false);
  board.merge(Comp.Cf, o.weightCf);
}

/** Level 3: predicted probability of buying each bought item again within the horizon. */
export function scorePredicted(models: Models, board: Board, bought: Purchases, now: number): void {
  const o = models.options;
  const today = Math.floor(now / DAY_MS);
  board.beginRaw();
  for (const item of bought.items) {
    if (bought.held?.has(item)) continue;
    const p =
      bought.probability?.get(item) ??
      repurchaseProbability(itemCycle(models, item), bought.days.get(item)!, today, o.horizonDays);
    if (p > 0) board.addRaw(item, p, bought.lastEvent.get(item)!);
  }
  board.merge(Comp.Predicted, o.weightPredicted);
}
