/**
 * The repeat/explore mixture of the session part, learned from the shop's own sessions.
 *
 * A shopper's next item is either one of the items of the current session again (a repeat) or a
 * new one (explore). How often each happens differs widely between shops (from under 20 % to
 * over 45 % of next items in public and private data sets), and so does how much the last
 * click says compared with the whole session. The engine therefore does not fix the balance:
 * at every refresh it scores prefixes of the most recent learned sessions as if they were new
 * (each session left out of its own neighbours and rules) and fits a conditional logit model
 * (McFadden 1974; the listwise softmax loss of learning to rank) that picks the next item among
 * the candidates — the session's own items, described by recency rank, count and session length,
 * and the explore candidates, described by their rank and the score of each explore part; all of
 * them also by how often they followed (or preceded) the last items in other sessions. Every
 * candidate is then ranked by its fitted probability.
 *
 * The model holds the features of S-POP's ranking (the session's items by count, ahead of all
 * other items) among others: when that is what this shop's customers do, the fit learns it; on
 * prefixes like the calibration sample it is therefore at least as likely to place the next item
 * as S-POP.
 *
 * The weights are derived data, like the EASE weights: any removal drops them and the next
 * refresh fits them again (meanwhile answers use the fixed blend of the options).
 */
import type { Board } from '../score/board';
import { type Current, gatherExplore, PARTS, type SessionModels, sessionItems } from './explore';
import { compareIds } from './popularity';

/** Explore candidates described by the model; later ones keep their order below them. */
export const EXPLORE_CANDIDATES = 60;
/** Rank buckets of the explore blend (upper bounds, 1-based). */
const RANK_EDGES = [1, 2, 3, 5, 10, 20, 40, EXPLORE_CANDIDATES] as const;
/** Recency ranks of session items kept apart (1 = the most recent distinct item). */
const RECENCY = 4;

const F_PART = 0; // PARTS features: each part's max-normalised score
const F_PART_SQRT = F_PART + PARTS; // their square roots
const F_RANK = F_PART_SQRT + PARTS; // one-hot rank bucket of an explore candidate
const F_SESSION = F_RANK + RANK_EDGES.length; // is a session item
const F_RECENT = F_SESSION + 1; // one-hot recency rank of a session item
const F_COUNT2 = F_RECENT + RECENCY; // occurs twice or more
const F_COUNT3 = F_COUNT2 + 1; // occurs three times or more
const F_LEN = F_COUNT3 + 1; // session item × log(distinct items)
const F_REPEATING = F_LEN + 1; // session item × the session already repeated an item
const F_LAST_REPEATING = F_REPEATING + 1; // most recent item × the session already repeated
const F_POPULAR = F_LAST_REPEATING + 1; // log sessions holding the item, normalised
// Transition shares, each also as its square root: how often the candidate came right after the
// last item, right before it, and within two steps after the second-to-last item.
const F_TRANS = F_POPULAR + 1;
const TRANS = 6;
export const FEATURES = F_TRANS + TRANS;

/** The fitted model. */
export interface Fusion {
  readonly weights: Float64Array;
  /** calibration prefixes the weights were fitted on */
  readonly prefixes: number;
  /** share of calibration prefixes whose next item was already in the session */
  readonly repeatShare: number;
}

/** The candidates of one prefix: items, their features (row-major) and the explore order. */
export interface Candidates {
  items: number[];
  sources: number[];
  x: Float64Array;
  /** explore candidates beyond the described ones, in no order (`board.explore.val` orders them) */
  tail: Int32Array;
}

/**
 * Scratch memory of `candidatesOf` and `scoresOf`, reused by every query: their results are
 * views into it, valid until the next call (queries and calibration prefixes run one at a time).
 */
let tailScratch = new Int32Array(1024);
let xScratch = new Float64Array(128 * FEATURES);
let scoreScratch = new Float64Array(128);

function rankBucket(rank: number): number {
  let b = 0;
  while (RANK_EDGES[b]! < rank) b++;
  return b;
}

/**
 * Gathers the explore parts for the prefix `cur` and describes its candidates: the session's
 * distinct items and the best `EXPLORE_CANDIDATES` explore candidates.
 */
export function candidatesOf(
  models: SessionModels,
  board: Board,
  cur: Current,
  now: number,
  cap: number,
  skip: number,
): Candidates {
  gatherExplore(models, board, cur, now, cap, skip);
  const mine = sessionItems(board, cur);
  const qid = board.qid;
  const ids = models.items.ids;
  const acc = board.explore;
  // The best EXPLORE_CANDIDATES explore candidates in order (bounded insertion: most of a long
  // list fails the comparison with the last kept one); the rest stay unsorted in the tail.
  const better = (a: number, b: number) => {
    const d = acc.val[a]! - acc.val[b]!;
    return d > 0 || (d === 0 && compareIds(ids[a]!, ids[b]!) < 0);
  };
  const head: number[] = [];
  if (tailScratch.length < acc.size) tailScratch = new Int32Array(acc.size * 2);
  const tail = tailScratch;
  let nTail = 0;
  for (let i = 0; i < acc.size; i++) {
    const item = acc.list[i]!;
    if (board.posMark[item] === qid) continue;
    if (head.length === EXPLORE_CANDIDATES && !better(item, head[EXPLORE_CANDIDATES - 1]!)) {
      tail[nTail++] = item;
      continue;
    }
    if (head.length === EXPLORE_CANDIDATES) tail[nTail++] = head.pop()!;
    let at = head.length;
    head.push(item);
    while (at > 0 && better(item, head[at - 1]!)) {
      head[at] = head[at - 1]!;
      at--;
    }
    head[at] = item;
  }
  const n = mine.length + head.length;
  if (xScratch.length < n * FEATURES) xScratch = new Float64Array(n * FEATURES * 2);
  const x = xScratch.subarray(0, n * FEATURES);
  x.fill(0);
  const items: number[] = [];
  const sources: number[] = [];
  const store = models.sessions;
  const popNorm = Math.log(2 + store.sessionCount);
  // A session scored as new must not count itself in the popularity it is described by.
  const heldOut = skip >= 0 ? new Set(store.itemsOf(skip)) : null;
  const repeating = mine.length < cur.items.length ? 1 : 0;
  const logLen = Math.log(mine.length);
  const describe = (item: number, row: number) => {
    const base = row * FEATURES;
    for (let p = 0; p < PARTS; p++) {
      const part = board.parts[p]!;
      const v = part.has(item) ? part.val[item]! : 0;
      x[base + F_PART + p] = v;
      x[base + F_PART_SQRT + p] = Math.sqrt(v);
    }
    const holding = (store.postingCount[item] ?? 0) - (heldOut?.has(item) ? 1 : 0);
    x[base + F_POPULAR] = Math.log(1 + holding) / popNorm;
    return base;
  };
  mine.forEach(({ item, source, count }, r) => {
    const base = describe(item, items.length);
    x[base + F_SESSION] = 1;
    x[base + F_RECENT + Math.min(r, RECENCY - 1)] = 1;
    if (count >= 2) x[base + F_COUNT2] = 1;
    if (count >= 3) x[base + F_COUNT3] = 1;
    x[base + F_LEN] = logLen;
    x[base + F_REPEATING] = repeating;
    if (r === 0) x[base + F_LAST_REPEATING] = repeating;
    items.push(item);
    sources.push(source);
  });
  head.forEach((item, k) => {
    const base = describe(item, items.length);
    x[base + F_RANK + rankBucket(k + 1)] = 1;
    items.push(item);
    sources.push(acc.src[item]!);
  });
  transitions(models, cur, now, cap, skip, items, x);
  return { items, sources, x, tail: tail.subarray(0, nTail) };
}

/** Per item: its candidate row in the current `transitions` call, valid where `rowStamp` is `stamp`. */
let rowOf = new Int32Array(0);
let rowStamp = new Int32Array(0);
let stamp = 0;

/**
 * The transition shares of the candidates (`items`, rows of `x`), from the most recent sessions
 * of the last item and of the second-to-last (as many as the sequential rules read): per
 * occurrence of the last item, how often the candidate came right after it and right before it;
 * per occurrence of the second-to-last item, how often it came next (1) or one step later (½).
 * Unlike the explore parts these are not max-normalised, so the fit sees how sure a transition is.
 */
function transitions(
  models: SessionModels,
  cur: Current,
  now: number,
  cap: number,
  skip: number,
  items: readonly number[],
  x: Float64Array,
): void {
  const known = models.items.ids.length;
  if (rowOf.length < known) {
    rowOf = new Int32Array(known * 2);
    rowStamp = new Int32Array(known * 2);
    stamp = 0;
  }
  if (++stamp === 0x7fffffff) {
    rowStamp.fill(0);
    stamp = 1;
  }
  for (let row = 0; row < items.length; row++) {
    rowOf[items[row]!] = row;
    rowStamp[items[row]!] = stamp;
  }
  const limit = Math.min(cap, models.options.srCap);
  const len = cur.items.length;
  const last = cur.items[len - 1]!;
  const n1 = scanTransitions(models, last, limit, skip, now, x, 0, -1, 2);
  const prev = len >= 2 ? cur.items[len - 2]! : last;
  const n2 = prev !== last ? scanTransitions(models, prev, limit, skip, now, x, 4, 4, -1) : 0;
  for (let row = 0; row < items.length; row++) {
    const base = row * FEATURES + F_TRANS;
    if (n1 > 0) {
      x[base] = x[base]! / n1;
      x[base + 2] = x[base + 2]! / n1;
    }
    if (n2 > 0) x[base + 4] = x[base + 4]! / n2;
    x[base + 1] = Math.sqrt(x[base]!);
    x[base + 3] = Math.sqrt(x[base + 2]!);
    x[base + 5] = Math.sqrt(x[base + 4]!);
  }
}

/**
 * Visits every occurrence of `anchor` in its `limit` most recent sessions and adds, for the
 * candidate rows of `x`, 1 to feature `next` for the item right after it, ½ to `next2` for the
 * item two steps after, 1 to `before` for the item right before (a feature of -1 is not
 * counted). Returns the number of occurrences.
 */
function scanTransitions(
  models: SessionModels,
  anchor: number,
  limit: number,
  skip: number,
  now: number,
  x: Float64Array,
  next: number,
  next2: number,
  before: number,
): number {
  const store = models.sessions;
  const post = store.postings[anchor];
  if (post === undefined) return 0;
  const past = skip >= 0;
  const data = store.itemData;
  const stop = Math.max(0, post.length - limit);
  let seen = 0;
  for (let j = post.length - 1; j >= stop; j--) {
    const s = post[j]!;
    if (s === skip || (past && store.lastTs(s) > now)) continue;
    const b = store.start[s]!;
    const e = b + store.slotLength[s]!;
    for (let q = b; q < e; q++) {
      if (data[q] !== anchor) continue;
      seen++;
      if (q + 1 < e) addTransition(x, data[q + 1]!, next, 1);
      if (next2 >= 0 && q + 2 < e) addTransition(x, data[q + 2]!, next2, 0.5);
      if (before >= 0 && q > b) addTransition(x, data[q - 1]!, before, 1);
    }
  }
  return seen;
}

function addTransition(x: Float64Array, item: number, f: number, v: number): void {
  if (rowStamp[item] !== stamp) return;
  x[rowOf[item]! * FEATURES + F_TRANS + f]! += v;
}

/** Linear scores w·x of the candidates (a view into scratch memory, valid until the next call). */
export function scoresOf(f: Fusion, c: Candidates): Float64Array {
  if (scoreScratch.length < c.items.length) scoreScratch = new Float64Array(c.items.length * 2);
  const out = scoreScratch.subarray(0, c.items.length);
  const w = f.weights;
  for (let i = 0; i < c.items.length; i++) {
    let s = 0;
    const base = i * FEATURES;
    for (let j = 0; j < FEATURES; j++) s += w[j]! * c.x[base + j]!;
    out[i] = s;
  }
  return out;
}

/** One calibration prefix: its candidates' features and which one was next. */
interface Sample {
  x: Float32Array;
  target: number;
}

/**
 * Fits the conditional logit by Adam on the listwise softmax loss with a small L2 penalty.
 * Deterministic: fixed start, order and step count. Yields after a mini-batch when `due()`.
 */
function* fitSteps(
  samples: readonly Sample[],
  prefixes: number,
  repeats: number,
  due: () => boolean,
): Generator<void, Fusion, void> {
  const w = new Float64Array(FEATURES);
  const m = new Float64Array(FEATURES);
  const v = new Float64Array(FEATURES);
  const grad = new Float64Array(FEATURES);
  const epochs = 30;
  const batch = 256;
  const lr = 0.05;
  const l2 = 1e-4;
  let step = 0;
  const scores = new Float64Array(EXPLORE_CANDIDATES + 64);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < samples.length; start += batch) {
      grad.fill(0);
      const end = Math.min(samples.length, start + batch);
      for (let i = start; i < end; i++) {
        const { x, target } = samples[i]!;
        const n = x.length / FEATURES;
        const s = n <= scores.length ? scores : new Float64Array(n);
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < n; c++) {
          let t = 0;
          for (let j = 0; j < FEATURES; j++) t += w[j]! * x[c * FEATURES + j]!;
          s[c] = t;
          if (t > max) max = t;
        }
        let z = 0;
        for (let c = 0; c < n; c++) {
          s[c] = Math.exp(s[c]! - max);
          z += s[c]!;
        }
        for (let c = 0; c < n; c++) {
          const g = s[c]! / z - (c === target ? 1 : 0);
          if (g === 0) continue;
          for (let j = 0; j < FEATURES; j++) grad[j]! += g * x[c * FEATURES + j]!;
        }
      }
      step++;
      const scale = 1 / (end - start);
      for (let j = 0; j < FEATURES; j++) {
        const g = grad[j]! * scale + l2 * w[j]!;
        m[j] = 0.9 * m[j]! + 0.1 * g;
        v[j] = 0.999 * v[j]! + 0.001 * g * g;
        const mh = m[j]! / (1 - 0.9 ** step);
        const vh = v[j]! / (1 - 0.999 ** step);
        w[j]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
      }
      if (due()) yield;
    }
  }
  return { weights: w, prefixes, repeatShare: prefixes > 0 ? repeats / prefixes : 0 };
}

/**
 * Learns the mixture from the most recent learned sessions: each of their prefixes is scored as
 * a new session (its own session left out of neighbours and rules), at the time of its last
 * event. Only prefixes followed by a later event count: the lines of one order share a time and
 * have no "next" (a shop that sends only orders keeps the fixed blend). Null when there are too few prefixes to measure (`fusionMinPrefixes`) or the mixture is
 * switched off (`fusionPrefixes` 0).
 */
export function calibrateFusion(models: SessionModels, board: Board): Fusion | null {
  const steps = fusionSteps(models, board, () => false);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/**
 * `calibrateFusion` as stepwise work that yields between prefixes and mini-batches when `due()`
 * says its time slice is used up, so that a server can answer requests in between. The board
 * is set up again for every prefix, so queries in between do no harm.
 */
export function* fusionSteps(
  models: SessionModels,
  board: Board,
  due: () => boolean,
): Generator<void, Fusion | null, void> {
  const o = models.options;
  if (o.fusionPrefixes <= 0) return null;
  const store = models.sessions;
  const recent: number[] = [];
  for (let s = 0; s < store.slotCapacity; s++) if (store.slotLength[s]! >= 2) recent.push(s);
  recent.sort((a, b) => store.lastTs(b) - store.lastTs(a) || compareIds(store.keys[a]!, store.keys[b]!));
  const samples: Sample[] = [];
  let prefixes = 0;
  let repeats = 0;
  for (const slot of recent) {
    if (prefixes >= o.fusionPrefixes) break;
    for (let p = 1; p < store.slotLength[slot]! && prefixes < o.fusionPrefixes; p++) {
      // Views into the store's arena, taken afresh after every pause (it may change meanwhile).
      const seq = store.itemsOf(slot);
      const times = store.timesOf(slot);
      // Events at the same instant (the lines of one order) have no order: none is "next".
      if (times[p] === times[p - 1]) continue;
      const items = Array.from(seq.subarray(Math.max(0, p - o.maxSessionItems), p));
      const cur: Current = { items, events: items.map(() => -1) };
      board.begin();
      const c = candidatesOf(models, board, cur, times[p - 1]!, Number.POSITIVE_INFINITY, slot);
      prefixes++;
      const target = c.items.indexOf(seq[p]!);
      if (items.includes(seq[p]!)) repeats++;
      // A prefix whose next item is no candidate says nothing about how to order candidates.
      if (target >= 0) samples.push({ x: Float32Array.from(c.x), target });
      if (due()) yield;
    }
  }
  if (prefixes < o.fusionMinPrefixes) return null;
  return yield* fitSteps(samples, prefixes, repeats, due);
}
