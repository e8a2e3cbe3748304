import { easeWeights } from './ease';
import { compareIds, DAY_MS } from './popularity';
import { PURCHASE, type SessionStore } from './sessions';
import { Slicer, type Steps, sortSteps } from './slices';

/** Repurchase statistics of one item over all its buyers, derived from the purchase index. */
export interface ItemCycle {
  buyers: number;
  /** buyers who bought it on at least two different days */
  repeaters: number;
  /** sorted gaps in days between consecutive purchase days of the same buyer */
  gaps: Float64Array;
}

/** Options of the derived item-item model (a subset of ModelOptions). */
export interface DerivedOptions {
  cfMinBuyers: number;
  cfNeighbours: number;
  cfAlpha: number;
  cfRowExponent: number;
  easeLambda: number;
  easeMaxItems: number;
}

/** Row weights are sparse item-item co-purchase weights (see `buildDerived`). */
export const SPARSE = 0;
/** Row weights are the positive top-K of a dense EASE solve (small catalogs only). */
export const EASE = 1;

/**
 * What a derived-model build reads, in plain typed arrays (so it can move to a worker thread):
 * one record per (session, item bought in it) with the buyer's rank in id order and the day of
 * the item's first purchase in that session.
 */
export interface DerivedInput {
  itemCount: number;
  subjectCount: number;
  /** per item: its rank in id order (ties, and EASE's item order, go by id, not by interning) */
  itemRank: Int32Array;
  recSubject: Int32Array;
  recItem: Int32Array;
  recDay: Int32Array;
  options: DerivedOptions;
}

/**
 * The derived model: per item, a row of neighbours (CSR: row i is nbrCol/nbrW[nbrStart[i] ..
 * nbrStart[i+1]), weights descending) and its repurchase cycle statistics. Only typed arrays
 * and numbers, so a worker can hand it over without copying.
 */
export interface DerivedData {
  kind: number;
  itemCount: number;
  /** 1 when the item has a row (enough buyers); 0 otherwise */
  hasRow: Uint8Array;
  rows: number;
  nbrStart: Int32Array;
  nbrCol: Int32Array;
  nbrW: Float32Array;
  buyers: Int32Array;
  repeaters: Int32Array;
  gapStart: Int32Array;
  gaps: Float64Array;
}

/** The buffers of a derived model, for a worker's transfer list. */
export function derivedBuffers(d: DerivedData): ArrayBuffer[] {
  return [d.hasRow, d.nbrStart, d.nbrCol, d.nbrW, d.buyers, d.repeaters, d.gapStart, d.gaps].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** The buffers of a derived-model input, for a worker's transfer list. */
export function inputBuffers(i: DerivedInput): ArrayBuffer[] {
  return [i.itemRank, i.recSubject, i.recItem, i.recDay].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Reads the purchase records of a session store, slot by slot (so that a caller can read in
 * slices between requests). Subjects are named in the records by their rank in id order, so
 * the result does not depend on slot numbers.
 */
export function* collectDerivedInput(
  store: SessionStore,
  ids: readonly string[],
  options: DerivedOptions,
  slicer: Slicer = Slicer.never,
): Steps<{ input: DerivedInput; subjects: Set<string> }> {
  const subj: number[] = [];
  const item: number[] = [];
  const day: number[] = [];
  const names: string[] = [];
  const nameIdx = new Map<string, number>();
  const capacity = store.slotCapacity;
  for (let slot = 0; slot < capacity; slot++) {
    // The session is the run [b, end) of the store's arena (read afresh after every pause).
    const seq = store.itemData;
    const types = store.typeData;
    const times = store.timeData;
    const b = store.start[slot]!;
    const end = b + store.slotLength[slot]!;
    let u = -1;
    for (let q = b; q < end; q++) {
      if (types[q] !== PURCHASE) continue;
      const it = seq[q]!;
      let first = true;
      for (let p = b; p < q; p++) {
        if (seq[p] === it && types[p] === PURCHASE) {
          first = false;
          break;
        }
      }
      if (!first) continue;
      if (u < 0) {
        const name = store.subjects[slot]!;
        u = nameIdx.get(name) ?? -1;
        if (u < 0) {
          u = names.length;
          names.push(name);
          nameIdx.set(name, u);
        }
      }
      subj.push(u);
      item.push(it);
      day.push(Math.floor(times[q]! / DAY_MS));
    }
    if ((slot & 255) === 0 && slicer.due()) yield;
  }
  const itemCount = ids.length;
  // Ranks in id order.
  const subjectOrder = yield* sortSteps(
    Array.from(names.keys()),
    (a, b) => compareIds(names[a]!, names[b]!),
    slicer,
  );
  const subjectRank = new Int32Array(names.length);
  subjectOrder.forEach((s, r) => {
    subjectRank[s] = r;
  });
  const itemOrder = yield* sortSteps(
    Array.from({ length: itemCount }, (_, i) => i),
    (a, b) => compareIds(ids[a]!, ids[b]!),
    slicer,
  );
  const itemRank = new Int32Array(itemCount);
  itemOrder.forEach((i, r) => {
    itemRank[i] = r;
  });
  const n = subj.length;
  const recSubject = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    recSubject[k] = subjectRank[subj[k]!]!;
    if ((k & 4095) === 0 && slicer.due()) yield;
  }
  const subjects = new Set<string>();
  for (let k = 0; k < names.length; k++) {
    subjects.add(names[k]!);
    if ((k & 4095) === 0 && slicer.due()) yield;
  }
  return {
    input: {
      itemCount,
      subjectCount: names.length,
      itemRank,
      recSubject,
      recItem: Int32Array.from(item),
      recDay: Int32Array.from(day),
      options: { ...options },
    },
    subjects,
  };
}

/** Indices 0..n-1 ordered by key (stable within equal keys, in the order of `order`). */
function countingOrder(keys: Int32Array, range: number, order: Int32Array): Int32Array {
  const start = new Int32Array(range + 1);
  for (let k = 0; k < order.length; k++) start[keys[order[k]!]! + 1]!++;
  for (let r = 0; r < range; r++) start[r + 1]! += start[r]!;
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const rec = order[k]!;
    out[start[keys[rec]!]!++] = rec;
  }
  return out;
}

/**
 * Builds the derived model from purchase records: a pure function of the input (a worker thread
 * runs it for the server).
 *
 * Rows are sparse item-item neighbours over the subject × item purchase matrix, in the family of
 * RP3β (Paudel et al., "Updatable, accurate, diverse, and scalable recommendations for
 * interactive applications", ACM TiiS 2017) and asymmetric cosine:
 *
 *   r_ij = Σ_{u bought i and j} |I(u)|^-α / |B(i)|^γ
 *
 * with I(u) the distinct items u bought and B(i) the buyers of i; the top `cfNeighbours` per row
 * are kept (ties by item id). A query multiplies r_ij by the candidate's current popularity
 * penalty pop(j)^-β (from the exact state). Row i therefore depends only on the purchases of
 * i's own buyers: unlearning a subject drops exactly the rows of the items they bought.
 *
 * When the items with enough buyers number at most `easeMaxItems`, the rows are instead the
 * positive top-K of EASE (Steck, WWW 2019), solved densely in O(n³); such a model depends on every
 * buyer, and unlearning any of them drops it whole.
 */
export function buildDerived(input: DerivedInput): DerivedData {
  const { itemCount: I, subjectCount: U, recSubject, recItem, recDay, itemRank, options: o } = input;
  const R = recSubject.length;
  const identity = new Int32Array(R);
  for (let k = 0; k < R; k++) identity[k] = k;
  // Records by subject, then item (stable).
  const recs = countingOrder(recSubject, U, countingOrder(recItem, I, identity));

  // Distinct (subject, item) pairs with their distinct purchase days; cycles per item.
  const buyers = new Int32Array(I);
  const repeaters = new Int32Array(I);
  const gapCount = new Int32Array(I);
  const pairSubject: number[] = [];
  const pairItem: number[] = [];
  const pairFrom: number[] = [];
  const days: number[] = [];
  const pairDays: number[] = [];
  for (let k = 0; k < R; ) {
    const rec = recs[k]!;
    const u = recSubject[rec]!;
    const i = recItem[rec]!;
    let end = k + 1;
    while (end < R && recSubject[recs[end]!] === u && recItem[recs[end]!] === i) end++;
    pairSubject.push(u);
    pairItem.push(i);
    pairFrom.push(k);
    days.length = 0;
    for (let m = k; m < end; m++) days.push(recDay[recs[m]!]!);
    days.sort((a, b) => a - b);
    let distinct = 1;
    for (let m = 1; m < days.length; m++) if (days[m] !== days[m - 1]) distinct++;
    pairDays.push(distinct);
    buyers[i]!++;
    if (distinct > 1) repeaters[i]!++;
    gapCount[i]! += distinct - 1;
    k = end;
  }
  const P = pairSubject.length;
  const gapStart = new Int32Array(I + 1);
  for (let i = 0; i < I; i++) gapStart[i + 1] = gapStart[i]! + gapCount[i]!;
  const gaps = new Float64Array(gapStart[I]!);
  const gapAt = gapStart.slice(0, I);
  for (let p = 0; p < P; p++) {
    if (pairDays[p]! < 2) continue;
    const i = pairItem[p]!;
    const from = pairFrom[p]!;
    days.length = 0;
    for (let m = from; m < R && recSubject[recs[m]!] === pairSubject[p] && recItem[recs[m]!] === i; m++)
      days.push(recDay[recs[m]!]!);
    days.sort((a, b) => a - b);
    for (let m = 1; m < days.length; m++)
      if (days[m] !== days[m - 1]) gaps[gapAt[i]!++] = days[m]! - days[m - 1]!;
  }
  for (let i = 0; i < I; i++) gaps.subarray(gapStart[i]!, gapStart[i + 1]!).sort();

  // Subject -> items (pairs are subject-major), item -> subjects in subject order.
  const uStart = new Int32Array(U + 1);
  for (let p = 0; p < P; p++) uStart[pairSubject[p]! + 1]!++;
  for (let u = 0; u < U; u++) uStart[u + 1]! += uStart[u]!;
  const uItem = Int32Array.from(pairItem);
  const iStart = new Int32Array(I + 1);
  for (let p = 0; p < P; p++) iStart[pairItem[p]! + 1]!++;
  for (let i = 0; i < I; i++) iStart[i + 1]! += iStart[i]!;
  const iSubj = new Int32Array(P);
  const iAt = iStart.slice(0, I);
  for (let p = 0; p < P; p++) iSubj[iAt[pairItem[p]!]!++] = pairSubject[p]!;

  const hasRow = new Uint8Array(I);
  let eligible = 0;
  for (let i = 0; i < I; i++) {
    if (buyers[i]! >= Math.max(1, o.cfMinBuyers)) {
      hasRow[i] = 1;
      eligible++;
    }
  }
  const k = Math.max(1, Math.floor(o.cfNeighbours));
  const cycles = { buyers, repeaters, gapStart, gaps };
  if (eligible >= 2 && eligible <= o.easeMaxItems) {
    return {
      kind: EASE,
      itemCount: I,
      hasRow,
      rows: eligible,
      ...easeRows(I, hasRow, itemRank, uStart, uItem, o.easeLambda, k),
      ...cycles,
    };
  }
  return {
    kind: SPARSE,
    itemCount: I,
    hasRow,
    rows: eligible,
    ...sparseRows(I, U, hasRow, itemRank, uStart, uItem, iStart, iSubj, o, k),
    ...cycles,
  };
}

type Rows = { nbrStart: Int32Array; nbrCol: Int32Array; nbrW: Float32Array };

function sparseRows(
  I: number,
  U: number,
  hasRow: Uint8Array,
  itemRank: Int32Array,
  uStart: Int32Array,
  uItem: Int32Array,
  iStart: Int32Array,
  iSubj: Int32Array,
  o: DerivedOptions,
  k: number,
): Rows {
  const uW = new Float64Array(U);
  for (let u = 0; u < U; u++) uW[u] = (uStart[u + 1]! - uStart[u]!) ** -o.cfAlpha;
  const acc = new Float64Array(I);
  const mark = new Int32Array(I).fill(-1);
  const touched: number[] = [];
  let rows = 0;
  for (let i = 0; i < I; i++) rows += hasRow[i]!;
  let cap = Math.min(rows * k, 1 << 20);
  let cols = new Int32Array(cap);
  let ws = new Float32Array(cap);
  const nbrStart = new Int32Array(I + 1);
  let n = 0;
  let vals = new Float64Array(1024);
  const byScore = (a: number, b: number) => acc[b]! - acc[a]! || itemRank[a]! - itemRank[b]!;
  for (let i = 0; i < I; i++) {
    if (hasRow[i] === 1) {
      touched.length = 0;
      for (let e = iStart[i]!, end = iStart[i + 1]!; e < end; e++) {
        const u = iSubj[e]!;
        const w = uW[u]!;
        for (let f = uStart[u]!, fe = uStart[u + 1]!; f < fe; f++) {
          const j = uItem[f]!;
          if (j === i) continue;
          if (mark[j] !== i) {
            mark[j] = i;
            acc[j] = 0;
            touched.push(j);
          }
          acc[j]! += w;
        }
      }
      let pick = touched;
      if (touched.length > k) {
        if (vals.length < touched.length) vals = new Float64Array(touched.length * 2);
        for (let t = 0; t < touched.length; t++) vals[t] = acc[touched[t]!]!;
        const head = vals.subarray(0, touched.length).sort();
        const threshold = head[touched.length - k]!;
        pick = touched.filter((j) => acc[j]! >= threshold);
      }
      pick.sort(byScore);
      if (pick.length > k) pick.length = k;
      const scale = (iStart[i + 1]! - iStart[i]!) ** -o.cfRowExponent;
      if (n + pick.length > cap) {
        cap = Math.max(cap * 2, n + pick.length);
        const c2 = new Int32Array(cap);
        c2.set(cols);
        cols = c2;
        const w2 = new Float32Array(cap);
        w2.set(ws);
        ws = w2;
      }
      for (const j of pick) {
        cols[n] = j;
        ws[n] = acc[j]! * scale;
        n++;
      }
    }
    nbrStart[i + 1] = n;
  }
  return { nbrStart, nbrCol: cols.slice(0, n), nbrW: ws.slice(0, n) };
}

function easeRows(
  I: number,
  hasRow: Uint8Array,
  itemRank: Int32Array,
  uStart: Int32Array,
  uItem: Int32Array,
  lambda: number,
  k: number,
): Rows {
  // The chosen items in id order, so that equal states give bit-identical weights.
  const items: number[] = [];
  for (let i = 0; i < I; i++) if (hasRow[i] === 1) items.push(i);
  items.sort((a, b) => itemRank[a]! - itemRank[b]!);
  const n = items.length;
  const row = new Int32Array(I).fill(-1);
  items.forEach((item, r) => {
    row[item] = r;
  });
  const gram = new Float64Array(n * n);
  const rs: number[] = [];
  for (let u = 0; u + 1 < uStart.length; u++) {
    rs.length = 0;
    for (let f = uStart[u]!; f < uStart[u + 1]!; f++) {
      const r = row[uItem[f]!]!;
      if (r >= 0) rs.push(r);
    }
    for (const a of rs) {
      const ra = a * n;
      for (const b of rs) gram[ra + b]!++;
    }
  }
  const weights = easeWeights(gram, n, lambda);
  const nbrStart = new Int32Array(I + 1);
  const cols: number[] = [];
  const ws: number[] = [];
  const vals = new Float32Array(n);
  const pick: number[] = [];
  for (let i = 0; i < I; i++) {
    const r = row[i]!;
    if (r >= 0) {
      const base = r * n;
      let m = 0;
      for (let c = 0; c < n; c++) {
        const v = weights[base + c]!;
        if (v > 0) vals[m++] = v;
      }
      let threshold = 0;
      if (m > k) threshold = vals.subarray(0, m).sort()[m - k]!;
      pick.length = 0;
      for (let c = 0; c < n; c++) {
        const v = weights[base + c]!;
        if (v > 0 && v >= threshold) pick.push(c);
      }
      pick.sort((a, b) => weights[base + b]! - weights[base + a]! || a - b);
      if (pick.length > k) pick.length = k;
      for (const c of pick) {
        cols.push(items[c]!);
        ws.push(weights[base + c]!);
      }
    }
    nbrStart[i + 1] = cols.length;
  }
  return { nbrStart, nbrCol: Int32Array.from(cols), nbrW: Float32Array.from(ws) };
}

/**
 * The derived model as served: the data, the subjects whose purchases went into it, and rows
 * dropped since (an unlearned buyer's items). `hasRow` is false for a dropped row; such items are
 * scored from the exact state instead until the next refresh.
 */
export class DerivedModel {
  readonly dropped: Uint8Array;
  droppedRows = 0;

  constructor(
    readonly data: DerivedData,
    readonly subjects: Set<string>,
  ) {
    this.dropped = new Uint8Array(data.itemCount);
  }

  get kind(): number {
    return this.data.kind;
  }

  hasRow(item: number): boolean {
    return item < this.data.itemCount && this.data.hasRow[item] === 1 && this.dropped[item] === 0;
  }

  /** Drops the rows of the given items (their weights depend on a subject being unlearned). */
  dropRows(items: Iterable<number>): void {
    for (const item of items) {
      if (item < this.data.itemCount && this.data.hasRow[item] === 1 && this.dropped[item] === 0) {
        this.dropped[item] = 1;
        this.droppedRows++;
      }
    }
  }
}

/** The repurchase cycle of an item computed from the exact state. */
export function exactCycle(store: SessionStore, item: number): ItemCycle {
  const daysBy = new Map<string, number[]>();
  for (const slot of store.purchases[item] ?? []) {
    const subject = store.subjects[slot]!;
    const day = Math.floor(store.purchaseTime(slot, item) / DAY_MS);
    const days = daysBy.get(subject);
    if (days) days.push(day);
    else daysBy.set(subject, [day]);
  }
  const gaps: number[] = [];
  let repeaters = 0;
  for (const days of daysBy.values()) {
    const distinct = [...new Set(days)].sort((a, b) => a - b);
    if (distinct.length > 1) repeaters++;
    for (let i = 1; i < distinct.length; i++) gaps.push(distinct[i]! - distinct[i - 1]!);
  }
  return { buyers: daysBy.size, repeaters, gaps: Float64Array.from(gaps).sort() };
}

/**
 * Item cycles, always equal to `exactCycle` of the current state: taken from the derived model
 * where the item's purchases have not changed since it was prepared, computed from the exact
 * state otherwise, and kept per item until that item's purchases change.
 */
export class CycleCache {
  /** per item, its cycle once computed (an array, not a map: it is read per bought item per query) */
  private known: (ItemCycle | undefined)[] = [];
  private data: DerivedData | null = null;
  private fresh = new Uint8Array(0);

  /** Installs precomputed cycles; `fresh(item)` says whether the item is unchanged since. */
  install(data: DerivedData | null, fresh: (item: number) => boolean): void {
    this.known = [];
    this.data = data;
    if (data === null) return;
    this.fresh = new Uint8Array(data.itemCount);
    for (let i = 0; i < data.itemCount; i++) this.fresh[i] = fresh(i) ? 1 : 0;
  }

  /** The item's purchases changed. */
  invalidate(item: number): void {
    if (item < this.known.length) this.known[item] = undefined;
    if (item < this.fresh.length) this.fresh[item] = 0;
  }

  get(store: SessionStore, item: number): ItemCycle {
    const known = this.known[item];
    if (known !== undefined) return known;
    const d = this.data;
    let cycle: ItemCycle;
    if (d !== null && item < d.itemCount && this.fresh[item] === 1) {
      cycle = {
        buyers: d.buyers[item]!,
        repeaters: d.repeaters[item]!,
        gaps: d.gaps.subarray(d.gapStart[item]!, d.gapStart[item + 1]!),
      };
    } else cycle = exactCycle(store, item);
    while (this.known.length < item) this.known.push(undefined);
    this.known[item] = cycle;
    return cycle;
  }
}
