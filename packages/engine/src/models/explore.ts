import type { ModelOptions } from '../options';
import type { Board } from '../score/board';
import type { ItemTable } from './items';
import type { Popularity } from './popularity';
import { DAY_MS } from './popularity';
import type { SessionStore } from './sessions';

/** What the session scorer reads of the models (structural, so models.ts can use it too). */
export interface SessionModels {
  readonly options: Readonly<ModelOptions>;
  readonly sessions: SessionStore;
  readonly items: ItemTable;
  readonly popularity: Popularity;
}

/** Positions of the current session's recent item touches, oldest first. */
export interface Current {
  items: number[];
  /** index into scope.events */
  events: number[];
}

const expTables = new Map<number, Float64Array>();
/** exp(-d/λ) for integer distances d (cached per λ). */
export function decayTable(lambda: number): Float64Array {
  let t = expTables.get(lambda);
  if (!t) {
    t = new Float64Array(512);
    for (let d = 0; d < t.length; d++) t[d] = Math.exp(-d / lambda);
    expTables.set(lambda, t);
  }
  return t;
}

export function decay(table: Float64Array, d: number): number {
  return table[d] ?? 0;
}

/** The session's distinct items, most recent first, with their count and latest event. */
export function sessionItems(board: Board, cur: Current): { item: number; source: number; count: number }[] {
  const out: { item: number; source: number; count: number }[] = [];
  const qid = board.qid;
  for (let p = cur.items.length - 1; p >= 0; p--) {
    const item = cur.items[p]!;
    if (board.pos[item] !== p || board.posMark[item] !== qid) continue;
    let count = 0;
    for (const other of cur.items) if (other === item) count++;
    out.push({ item, source: cur.events[p]!, count });
  }
  return out;
}

/** Number of explore parts `exploreParts` emits. */
export const PARTS = 4;

/**
 * Runs the explore parts into `board.explore` (their blend, by the options' weights) and
 * `board.parts[i]` (each part alone, max-normalised).
 */
export function gatherExplore(
  models: SessionModels,
  board: Board,
  cur: Current,
  now: number,
  cap: number,
  skip: number,
): void {
  board.explore.begin();
  for (const acc of board.parts) acc.begin();
  exploreParts(
    models,
    board,
    cur,
    now,
    cap,
    skip,
    (part, w) => {
      board.mergeInto(board.explore, w);
      board.mergeInto(board.parts[part]!, 1);
    },
    true,
  );
}

/**
 * Computes the explore parts one by one into `board.raw` (marking the session's items in
 * `board.pos`), handing each to `emit` with its index (0 neighbours, 1 rules, 2 second-order
 * rules, 3 item neighbours of the last item) and blend weight. `skip` leaves one stored session
 * out of the neighbours and rules, and with it every session that ended after `now` (calibration
 * scores a learned session as if it were new, seeing only what a live query would see).
 */
export function exploreParts(
  models: SessionModels,
  board: Board,
  cur: Current,
  now: number,
  cap: number,
  skip: number,
  emit: (part: number, weight: number) => void,
  /** compute every part, also those the blend weighs 0 (the fitted mixture reads each one) */
  all = false,
): void {
  const o = models.options;
  const len = cur.items.length;
  const store = models.sessions;
  // Scoring a learned session as new (calibration), only sessions over by then are visible, as
  // for a live query.
  const past = skip >= 0;
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
  const slotLast = store.slotLast;
  // A session is the run `data[start[s] .. start[s] + slotLength[s])` of the store's arena.
  const data = store.itemData;
  const start = store.start;
  const length = store.slotLength;
  const slots = board.slotList;
  let nSlots = 0;
  for (let p = len - 1; p >= 0; p--) {
    const item = cur.items[p]!;
    if (board.pos[item] !== p) continue; // only the latest occurrence
    const post = store.postings[item];
    if (!post || post.length === 0) continue;
    const w = decay(spw, len - 1 - p) * Math.log(1 + nSessions / post.length) ** o.idfExponent;
    // Older items weigh less, so fewer of their sessions are read (at least a tenth of the cap).
    const sample = Math.ceil(o.postingsCap * Math.max(0.1, decay(spw, len - 1 - p)));
    const stop = Math.max(0, post.length - Math.min(cap, sample));
    for (let j = post.length - 1; j >= stop; j--) {
      const s = post[j]!;
      if (s === skip || (past && slotLast[s]! > now)) continue;
      if (board.slotMark[s] !== qid) {
        board.slotMark[s] = qid;
        board.slotAcc[s] = 0;
        slots[nSlots++] = s;
      }
      board.slotAcc[s]! += w;
    }
  }

  // 2. Similarity with neighbour-recency decay; keep the top k.
  const snh = o.lambdaSnhDays * DAY_MS;
  for (let i = 0; i < nSlots; i++) {
    const s = slots[i]!;
    const age = Math.max(0, now - slotLast[s]!);
    board.slotAcc[s] = (board.slotAcc[s]! / Math.sqrt(store.slotLength[s]!)) * Math.exp(-age / snh);
  }
  board.slotSize = nSlots;
  const k = Math.min(o.neighbours, nSlots);
  topSlots(slots, nSlots, board.slotAcc, k);

  // 3. Candidate scores from the neighbours.
  board.beginRaw();
  for (let j = 0; j < k; j++) {
    const s = slots[j]!;
    const sim = board.slotAcc[s]!;
    const b = start[s]!;
    const n = length[s]!;
    let best = -1;
    let anchor = 0;
    for (let q = 0; q < n; q++) {
      const it = data[b + q]!;
      if (board.posMark[it] === qid && board.pos[it]! > best) {
        best = board.pos[it]!;
        anchor = q;
      }
    }
    const source = cur.events[best] ?? -1;
    for (let q = 0; q < n; q++) {
      board.addRaw(data[b + q]!, sim * decay(inh, Math.abs(q - anchor)), source);
    }
  }
  emit(0, 1);

  // 4. Sequential rules from the last item.
  const last = cur.items[len - 1]!;
  const lastEvent = cur.events[len - 1]!;
  const post = store.postings[last] ?? [];
  const stop = Math.max(0, post.length - Math.min(cap, o.srCap));
  board.beginRaw();
  for (let j = post.length - 1; j >= stop; j--) {
    if (post[j] === skip || (past && slotLast[post[j]!]! > now)) continue;
    const b = start[post[j]!]!;
    const n = length[post[j]!]!;
    for (let q = 0; q < n - 1; q++) {
      if (data[b + q] !== last) continue;
      const end = Math.min(n - 1, q + o.srWindow);
      for (let r = q + 1; r <= end; r++) board.addRaw(data[b + r]!, 1 / (r - q), lastEvent);
    }
  }
  emit(1, o.srWeight);

  // 4b. Second-order rules: what followed the last two items in that order (a sharper, sparser signal).
  if ((all || o.sr2Weight > 0) && len >= 2 && cur.items[len - 2] !== last) {
    const prev = cur.items[len - 2]!;
    board.beginRaw();
    for (let j = post.length - 1; j >= stop; j--) {
      if (post[j] === skip || (past && slotLast[post[j]!]! > now)) continue;
      const b = start[post[j]!]!;
      const n = length[post[j]!]!;
      for (let q = 1; q < n - 1; q++) {
        if (data[b + q] !== last || data[b + q - 1] !== prev) continue;
        const end = Math.min(n - 1, q + o.srWindow);
        for (let r = q + 1; r <= end; r++) board.addRaw(data[b + r]!, 1 / (r - q), lastEvent);
      }
    }
    emit(2, o.sr2Weight);
  }

  // 5. Item neighbours of the last item: items sharing recent sessions with it, anywhere in them,
  // by cosine (co-occurrence / √(sessions of each)) — wider than the rules' window.
  if (all || o.knnWeight > 0) {
    board.beginRaw();
    const knnStop = Math.max(0, post.length - Math.min(cap, o.knnCap));
    for (let j = post.length - 1; j >= knnStop; j--) {
      if (post[j] === skip || (past && slotLast[post[j]!]! > now)) continue;
      const b = start[post[j]!]!;
      const end = b + length[post[j]!]!;
      for (let q = b; q < end; q++) {
        const it = data[q]!;
        if (it !== last) board.addRaw(it, 1, lastEvent);
      }
    }
    const raw = board.raw;
    const list = board.rawList;
    for (let i = 0; i < board.rawSize; i++) {
      const it = list[i]!;
      raw[it] = raw[it]! / Math.sqrt(store.postingCount[it] || 1);
    }
    emit(3, o.knnWeight);
  }
}

/** Whether slot a ranks before slot b: higher score, then lower slot. */
function before(score: Float64Array, a: number, b: number): boolean {
  const d = score[b]! - score[a]!;
  // as the comparator `score[b] - score[a] || a - b`: equal (or NaN) differences go by slot
  return d < 0 || (!(d > 0) && a < b);
}

/** Sorts `slots[0 .. n)` by `before` (insertion sort: n is the neighbour count, about 100). */
function sortHead(slots: Int32Array, n: number, score: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const s = slots[i]!;
    let at = i;
    while (at > 0 && before(score, s, slots[at - 1]!)) {
      slots[at] = slots[at - 1]!;
      at--;
    }
    slots[at] = s;
  }
}

/**
 * Moves the k slots of `slots[0 .. n)` with the highest score to the front, in order (ties by
 * slot, deterministic per state).
 */
function topSlots(slots: Int32Array, n: number, score: Float64Array, k: number): void {
  if (k <= 0) return;
  if (n <= k) {
    sortHead(slots, n, score);
    return;
  }
  // Quickselect around the k-th largest, then sort the head.
  let lo = 0;
  let hi = n - 1;
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
  sortHead(slots, k, score);
}
