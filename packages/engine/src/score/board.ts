/** Score components; each is max-normalised before it is blended, and each maps to a reason kind. */
export const Comp = {
  Session: 0,
  Own: 1,
  Cf: 2,
  Predicted: 3,
  Similar: 4,
  Together: 5,
  Popular: 6,
} as const;
export type Comp = (typeof Comp)[keyof typeof Comp];
export const COMPONENTS = 7;

/**
 * A sparse accumulator over items: value, the source of the largest single addition, and the
 * items added (`list[0 .. size)`, in order of first addition; a typed array that keeps its room,
 * so that a query allocates nothing here).
 */
export class Accum {
  val = new Float64Array(0);
  src = new Int32Array(0);
  best = new Float64Array(0);
  mark = new Int32Array(0);
  list = new Int32Array(0);
  size = 0;
  private qid = 0;

  ensure(n: number): void {
    if (n <= this.val.length) return;
    this.val = new Float64Array(n);
    this.src = new Int32Array(n);
    this.best = new Float64Array(n);
    this.mark = new Int32Array(n);
    this.list = new Int32Array(n);
    this.size = 0;
    this.qid = 0;
  }

  begin(): void {
    this.qid++;
    if (this.qid === 0x7fffffff) {
      this.qid = 1;
      this.mark.fill(0);
    }
    this.size = 0;
  }

  add(item: number, value: number, source: number): void {
    if (this.mark[item] !== this.qid) {
      this.mark[item] = this.qid;
      this.val[item] = 0;
      this.best[item] = -1;
      this.list[this.size++] = item;
    }
    this.val[item]! += value;
    if (value > this.best[item]!) {
      this.best[item] = value;
      this.src[item] = source;
    }
  }

  has(item: number): boolean {
    return this.mark[item] === this.qid;
  }
}

/**
 * Reusable per-model scratch memory for one query at a time (queries are synchronous), so that a
 * query allocates almost nothing. `raw` holds one component while it is computed; `total` and
 * `contrib` the blend.
 */
export class Board {
  qid = 0;
  items = 0;
  /** the component being computed (`beginRaw`, `addRaw`), before it is blended */
  readonly component = new Accum();
  total = new Float64Array(0);
  contrib = new Float64Array(0);
  src = new Int32Array(0);
  mark = new Int32Array(0);
  /** the items in the blend: `cand[0 .. candSize)` */
  cand = new Int32Array(0);
  candSize = 0;
  slotAcc = new Float64Array(0);
  slotMark = new Int32Array(0);
  /** the neighbour sessions of a query: `slotList[0 .. slotSize)` */
  slotList = new Int32Array(0);
  slotSize = 0;
  posMark = new Int32Array(0);
  pos = new Int32Array(0);
  /** dense per-row buffers for item-item models (EASE) */
  denseAcc = new Float64Array(0);
  denseBest = new Float64Array(0);
  denseSrc = new Int32Array(0);
  /** the session part's explore scores before they are fused with the repeat part */
  readonly explore = new Accum();
  /** each explore part alone (neighbours, rules, second-order rules, item neighbours) */
  readonly parts = [new Accum(), new Accum(), new Accum(), new Accum()] as const;

  ensure(items: number, slots: number): void {
    if (items > this.items) {
      const n = Math.max(items, this.items * 2, 1024);
      this.component.ensure(n);
      this.total = new Float64Array(n);
      this.contrib = new Float64Array(n * COMPONENTS);
      this.src = new Int32Array(n * COMPONENTS);
      this.mark = new Int32Array(n);
      this.cand = new Int32Array(n);
      this.candSize = 0;
      this.posMark = new Int32Array(n);
      this.pos = new Int32Array(n);
      this.explore.ensure(n);
      for (const acc of this.parts) acc.ensure(n);
      this.items = n;
      this.qid = 0;
    }
    if (slots > this.slotAcc.length) {
      const n = Math.max(slots, this.slotAcc.length * 2, 1024);
      this.slotAcc = new Float64Array(n);
      this.slotMark = new Int32Array(n);
      this.slotList = new Int32Array(n);
      this.slotSize = 0;
      this.qid = 0;
    }
  }

  /** Zeroed dense buffers of at least n entries. */
  dense(n: number): void {
    if (this.denseAcc.length < n) {
      this.denseAcc = new Float64Array(n);
      this.denseBest = new Float64Array(n);
      this.denseSrc = new Int32Array(n);
    } else {
      this.denseAcc.fill(0, 0, n);
      this.denseBest.fill(0, 0, n);
    }
  }

  /** Starts a query: an empty blend. */
  begin(): void {
    this.qid++;
    if (this.qid === 0x7fffffff) {
      this.qid = 1;
      this.mark.fill(0);
      this.slotMark.fill(0);
      this.posMark.fill(0);
    }
    this.candSize = 0;
  }

  /** Starts a component: an empty `raw`. */
  beginRaw(): void {
    this.component.begin();
  }

  /** Adds to the raw component; `source` is kept from the largest single contribution. */
  addRaw(item: number, value: number, source: number): void {
    this.component.add(item, value, source);
  }

  /** The raw component's values by item. */
  get raw(): Float64Array {
    return this.component.val;
  }

  /** The items in the raw component: `rawList[0 .. rawSize)`. */
  get rawList(): Int32Array {
    return this.component.list;
  }

  get rawSize(): number {
    return this.component.size;
  }

  /** The source of each item's largest single contribution to the raw component. */
  get rawSrc(): Int32Array {
    return this.component.src;
  }

  /** The factor that scales the raw component so its best item gets `weight`; 0 when empty. */
  private rawScale(weight: number): number {
    const { val, list, size } = this.component;
    if (weight <= 0 || size === 0) return 0;
    let max = 0;
    for (let i = 0; i < size; i++) if (val[list[i]!]! > max) max = val[list[i]!]!;
    return max > 0 ? weight / max : 0;
  }

  /** Adds the raw component to `acc`, scaled so its best item gets `weight`. */
  mergeInto(acc: Accum, weight: number): void {
    const scale = this.rawScale(weight);
    if (scale === 0) return;
    const { val, src, list, size } = this.component;
    for (let i = 0; i < size; i++) {
      const item = list[i]!;
      const v = val[item]! * scale;
      if (v > 0) acc.add(item, v, src[item]!);
    }
  }

  /** Blends the raw component into the total, scaled so its best item gets `weight`. */
  merge(comp: Comp, weight: number): void {
    const scale = this.rawScale(weight);
    if (scale === 0) return;
    const { val, src: rawSrc, list, size } = this.component;
    for (let i = 0; i < size; i++) {
      const item = list[i]!;
      const v = val[item]! * scale;
      if (v <= 0) continue;
      if (this.mark[item] !== this.qid) {
        this.mark[item] = this.qid;
        this.total[item] = 0;
        this.contrib.fill(0, item * COMPONENTS, item * COMPONENTS + COMPONENTS);
        this.cand[this.candSize++] = item;
      }
      const at = item * COMPONENTS + comp;
      if (v >= this.contrib[at]!) this.src[at] = rawSrc[item]!;
      this.total[item]! += v;
      this.contrib[at]! += v;
    }
  }

  has(item: number): boolean {
    return this.mark[item] === this.qid;
  }
}

/** What a board is sized by: the models' item table and session slots. */
export interface BoardOwner {
  readonly items: { readonly size: number };
  readonly sessions: { readonly slotCapacity: number };
}

const boards = new WeakMap<BoardOwner, Board>();

export function boardFor(models: BoardOwner): Board {
  let board = boards.get(models);
  if (!board) {
    board = new Board();
    boards.set(models, board);
  }
  board.ensure(models.items.size, models.sessions.slotCapacity);
  return board;
}
