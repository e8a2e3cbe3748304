import { type Current, decay, decayTable, exploreParts } from '../models/explore';
import { candidatesOf, scoresOf } from '../models/fusion';
import type { Models } from '../models/models';
import type { Scope } from '../scope';
import { type Board, Comp } from './board';

function currentSession(scope: Scope, max: number): Current {
  const items: number[] = [];
  const events: number[] = [];
  for (let e = 0; e < scope.sessionCount; e++) {
    const ev = scope.events[e]!;
    if (ev.item < 0 || ev.type === 'remove_from_cart') continue;
    items.push(ev.item);
    events.push(e);
  }
  const from = Math.max(0, items.length - max);
  return { items: items.slice(from), events: events.slice(from) };
}

/**
 * Session-based scores for the current session, blended into the board as `Comp.Session`.
 *
 * Explore part — V-STAN (Garg et al., "Sequence and Time Aware Neighborhood for Session-based
 * Recommendations", SIGIR 2019; Ludewig et al., "Empirical analysis of session-based
 * recommendation algorithms", UMUAI 2021):
 *   sim(s, n) = Σ_{i ∈ s∩n} exp(-(|s| - pos_s(i)) / λ_spw) · idf(i)^α / √|n| · exp(-(t_s - t_n) / λ_snh)
 *   score(c)  = Σ_{n ∈ top-k} sim(s, n) · exp(-|pos_n(c) - pos_n(i*)| / λ_inh)
 * with i* the most recent item of s that n contains, over the most recent sessions of each item;
 * and sequential rules (Ludewig & Jannach, "Evaluation of session-based recommendation
 * algorithms", UMUAI 2018): score(c) = Σ over sessions containing the last item i of 1/gap for
 * every later c within the window.
 *
 * Repeat part — the session's own items. When the models carry a fitted repeat/explore mixture
 * (`models.fusion`, learned on the shop's recent sessions, see models/fusion.ts), every
 * candidate is scored by its fitted probability of being the next item: session items by their
 * recency rank, count and the session's length, explore candidates by their rank and part
 * scores. Without one (a fresh or small shop, or right after a removal) a recency-weighted
 * reminder of the session's items is blended in with the fixed `remindWeight`.
 */
export function scoreSession(
  models: Models,
  board: Board,
  scope: Scope,
  now: number,
  weight: number,
  /** at most this many recent sessions read per item (neighbours and rules); defaults to the options */
  cap = Number.POSITIVE_INFINITY,
): void {
  const cur = currentSession(scope, models.options.maxSessionItems);
  if (cur.items.length === 0 || weight <= 0) return;
  const fusion = models.fusion;
  if (fusion === null) {
    exploreParts(models, board, cur, now, cap, -1, (_, w) => board.merge(Comp.Session, weight * w));
    reminder(models, board, cur);
    board.merge(Comp.Session, weight * models.options.remindWeight);
    return;
  }
  const c = candidatesOf(models, board, cur, now, cap, -1);
  const scores = scoresOf(fusion, c);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  let least = 1;
  board.beginRaw();
  for (let i = 0; i < c.items.length; i++) {
    const p = Math.exp(scores[i]! - max);
    if (p < least) least = p;
    board.addRaw(c.items[i]!, p, c.sources[i]!);
  }
  // Explore candidates beyond the described ones keep their order, below all described ones.
  const { val, src } = board.explore;
  const tail = c.tail;
  let top = 0;
  for (let i = 0; i < tail.length; i++) if (val[tail[i]!]! > top) top = val[tail[i]!]!;
  for (let i = 0; i < tail.length; i++) {
    const item = tail[i]!;
    board.addRaw(item, (least * 0.5 * val[item]!) / top, src[item]!);
  }
  board.merge(Comp.Session, weight);
}

/** The reminder of the fixed blend: recency-weighted items of the session, in `board.raw`. */
function reminder(models: Models, board: Board, cur: Current): void {
  const spw = decayTable(models.options.lambdaSpw);
  const len = cur.items.length;
  board.beginRaw();
  for (let p = 0; p < len; p++) board.addRaw(cur.items[p]!, decay(spw, len - 1 - p), cur.events[p]!);
}
