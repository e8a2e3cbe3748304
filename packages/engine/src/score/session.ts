import type { Models } from '../models/models';
import { DAY_MS } from '../models/popularity';
import type { Scope } from '../scope';
import { type Board, Comp } from './board';

/** Positions of the current session's recent item touches, oldest first. */
interface Current {
  items: number[];
  /** index into scope.events */
  events: number[];
}

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

const expTables = new Map<number, Float64Array>();
/** exp(-d/λ) for integer distances d (cached per λ). */
function decayTable(lambda: number): Float64Array {
  let t = expTables.get(lambda);
  if (!t) {
    t = new Float64Array(512);
    for (let d = 0; d < t.length; d++) t[d] = Math.exp(-d / lambda);
    expTables.set(lambda, t);
  }
  return t;
}

function decay(table: Float64Array, d: number): number {
  return table[d] ?? 0;
}

/**
 * Session-based scores for the current session, blended into the board as `Comp.Session`:
 *
 * V-STAN (Garg et al., "Sequence and Time Aware Neighborhood for Session-based Recommendations",
 * SIGIR 2019; Ludewig et al., "Empirical analysis of session-based recommendation algorithms",
 * UMUAI 2021):
 *   sim(s, n) = Σ_{i ∈ s∩n} exp(-(|s| - pos_s(i)) / λ_spw) · idf(i)^α / √|n| · exp(-(t_s - t_n) / λ_snh)
 *   score(c)  = Σ_{n ∈ top-k} sim(s, n) · exp(-|pos_n(c) - pos_n(i*)| / λ_inh)
 * with i* the most recent item of s that n contains, over the most recent sessions of each item.
 *
 * Sequential rules (Ludewig & Jannach, "Evaluation of session-based recommendation algorithms",
 * UMUAI 2018): score(c) = Σ over sessions containing the last item i of 1/gap for every later c
 * within the window.
 *
 * A reminder part (recency-weighted items of the session itself) lets the session's own items
 * come back, as shoppers often return to an item.
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
  const o = models.options;
  const cur = currentSession(scope, o.maxSessionItems);
  const len = cur.items.length;
  if (len === 0 || weight <= 0) return;
  const store = models.sessions;
  const spw = decayTable(o.lambdaSpw);
  const inh = decayTable(o.lambdaInh);
  const qid = board.qid;

  // Latest position of each current item.
  for (let p = 0; p < len; p++) {
    const item = cur.items[p]!;
    board.posMark[item] = qid;
    board.pos[item] = p;
  }

  // 1. Neighbour candidates: overlap weight accumulated over each item's most recent sessions.
  const nSessions = Math.max(1, store.sessionCount);
  const slots = board.slotList;
  slots.length = 0;
  for (let p = len - 1; p >= 0; p--) {
    const item = cur.items[p]!;
    if (board.pos[item] !== p) continue; // only the latest occurrence
    const post = store.postings[item];
    if (!post || post.length === 0) continue;
    const w = decay(spw, len - 1 - p) * Math.log(1 + nSessions / post.length) ** o.idfExponent;
    const stop = Math.max(0, post.length - Math.min(cap, o.postingsCap));
    for (let j = post.length - 1; j >= stop; j--) {
      const s = post[j]!;
      if (board.slotMark[s] !== qid) {
        board.slotMark[s] = qid;
        board.slotAcc[s] = 0;
        slots.push(s);
      }
      board.slotAcc[s]! += w;
    }
  }

  // 2. Similarity with neighbour-recency decay; keep the top k.
  const snh = o.lambdaSnhDays * DAY_MS;
  for (const s of slots) {
    const age = Math.max(0, now - store.lastTs(s));
    board.slotAcc[s] = (board.slotAcc[s]! / Math.sqrt(store.seq[s]!.length)) * Math.exp(-age / snh);
  }
  const k = Math.min(o.neighbours, slots.length);
  topSlots(slots, board.slotAcc, k);

  // 3. Candidate scores from the neighbours.
  board.beginRaw();
  for (let j = 0; j < k; j++) {
    const s = slots[j]!;
    const sim = board.slotAcc[s]!;
    const seq = store.seq[s]!;
    let best = -1;
    let anchor = 0;
    for (let q = 0; q < seq.length; q++) {
      const it = seq[q]!;
      if (board.posMark[it] === qid && board.pos[it]! > best) {
        best = board.pos[it]!;
        anchor = q;
      }
    }
    const source = cur.events[best] ?? -1;
    for (let q = 0; q < seq.length; q++) {
      board.addRaw(seq[q]!, sim * decay(inh, Math.abs(q - anchor)), source);
    }
  }
  board.merge(Comp.Session, weight);

  // 4. Sequential rules from the last item.
  const last = cur.items[len - 1]!;
  const lastEvent = cur.events[len - 1]!;
  const post = store.postings[last] ?? [];
  const stop = Math.max(0, post.length - Math.min(cap, o.srCap));
  board.beginRaw();
  for (let j = post.length - 1; j >= stop; j--) {
    const seq = store.seq[post[j]!]!;
    for (let q = 0; q < seq.length - 1; q++) {
      if (seq[q] !== last) continue;
      const end = Math.min(seq.length - 1, q + o.srWindow);
      for (let r = q + 1; r <= end; r++) board.addRaw(seq[r]!, 1 / (r - q), lastEvent);
    }
  }
  board.merge(Comp.Session, weight * o.srWeight);

  // 4b. Second-order rules: what followed the last two items in that order (a sharper, sparser signal).
  if (o.sr2Weight > 0 && len >= 2 && cur.items[len - 2] !== last) {
    const prev = cur.items[len - 2]!;
    board.beginRaw();
    for (let j = post.length - 1; j >= stop; j--) {
      const seq = store.seq[post[j]!]!;
      for (let q = 1; q < seq.length - 1; q++) {
        if (seq[q] !== last || seq[q - 1] !== prev) continue;
        const end = Math.min(seq.length - 1, q + o.srWindow);
        for (let r = q + 1; r <= end; r++) board.addRaw(seq[r]!, 1 / (r - q), lastEvent);
      }
    }
    board.merge(Comp.Session, weight * o.sr2Weight);
  }

  // 5. Reminder of the session's own items.
  board.beginRaw();
  for (let p = 0; p < len; p++) board.addRaw(cur.items[p]!, decay(spw, len - 1 - p), cur.events[p]!);
  board.merge(Comp.Session, weight * o.remindWeight);
}

/** Moves the k slots with the highest score to the front (ties by slot, deterministic per state). */
function topSlots(slots: number[], score: Float64Array, k: number): void {
  if (k <= 0 || slots.length <= k) {
    slots.sort((a, b) => score[b]! - score[a]! || a - b);
    return;
  }
  // Quickselect around the k-th largest, then sort the head.
  let lo = 0;
  let hi = slots.length - 1;
  while (lo < hi) {
    const pivot = score[slots[(lo + hi) >> 1]!]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (score[slots[i]!]! > pivot) i++;
      while (score[slots[j]!]! < pivot) j--;
      if (i <= j) {
        const t = slots[i]!;
        slots[i] = slots[j]!;
        slots[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  const head = slots.slice(0, k).sort((a, b) => score[b]! - score[a]! || a - b);
  for (let i = 0; i < k; i++) slots[i] = head[i]!;
}
