import { itemCycle, repurchaseProbability } from '../models/cycles';
import { SPARSE } from '../models/derived';
import type { Models } from '../models/models';
import { DAY_MS } from '../models/popularity';
import type { Scope } from '../scope';
import { type Board, Comp } from './board';
import { type Anchor, scoreCoPurchase } from './items';

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
  const events = scope.events;
  for (let e = 0; e < events.length; e++) {
    const ev = events[e]!;
    if (ev.type !== 'purchase' || ev.item < 0) continue;
    const day = Math.floor(ev.ts / DAY_MS);
    const list = days.get(ev.item);
    if (!list) days.set(ev.item, [day]);
    else if (!list.includes(day)) list.push(day);
    const prev = lastEvent.get(ev.item);
    if (prev === undefined || events[prev]!.ts <= ev.ts) lastEvent.set(ev.item, e);
  }
  // Items by the time of their latest purchase, then by index (pairs sorted once, no lookups
  // inside the comparison).
  const order: [number, number][] = [];
  for (const [item, e] of lastEvent) order.push([events[e]!.ts, item]);
  order.sort(byTimeThenItem);
  const items = new Array<number>(order.length);
  for (let i = 0; i < order.length; i++) {
    const item = order[i]![1];
    items[i] = item;
    days.get(item)!.sort(ascending);
  }
  return { items, days, lastEvent };
}

const ascending = (a: number, b: number) => a - b;
const byTimeThenItem = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/**
 * Level 2: the subject's own purchases (frequency with exponential recency decay, per purchase
 * day: Σ exp(-age/τ)) and what goes with them (the derived item-item model, see `buildDerived`;
 * co-purchase counts for items without a row).
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

  // What goes with them: the derived item-item rows over the most recent purchases (sparse rows
  // weighted by the candidate's current popularity penalty); items without a row (too few
  // buyers, or a row dropped by unlearning until the next refresh) by co-purchase counts.
  const derived = models.derived;
  const sparse = derived !== null && derived.kind === SPARSE;
  board.beginRaw();
  const outside: Anchor[] = [];
  const recent = bought.items.slice(-CF_MAX_ITEMS);
  for (const item of recent) {
    const source = bought.lastEvent.get(item)!;
    let weight = 1;
    if (o.cfDayExponent > 0) {
      // x_i of s = x·B: the item's purchase days (time-decayed when cfDecayDays > 0), damped.
      const days = bought.days.get(item)!;
      let n = days.length;
      if (o.cfDecayDays > 0) {
        n = 0;
        for (const day of days) n += Math.exp(-Math.max(0, today - day - 0.5) / o.cfDecayDays);
      }
      weight = n ** o.cfDayExponent;
    }
    if (derived === null || !derived.hasRow(item)) {
      outside.push({ item, source, weight });
      continue;
    }
    const { nbrStart, nbrCol, nbrW } = derived.data;
    for (let e = nbrStart[item]!, end = nbrStart[item + 1]!; e < end; e++) {
      const j = nbrCol[e]!;
      const w = sparse ? nbrW[e]! * models.popularityPenalty(j) : nbrW[e]!;
      if (w > 0) board.addRaw(j, weight === 1 ? w : w * weight, source);
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
