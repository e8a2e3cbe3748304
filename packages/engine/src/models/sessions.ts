import type { InteractionType } from '../types';

/** Event types the aggregate models learn from; `remove_from_cart` carries no preference signal. */
export const TYPE_CODE: Readonly<Record<InteractionType, number>> = {
  view: 0,
  add_to_cart: 1,
  remove_from_cart: -1,
  purchase: 2,
  search: 3,
};
export const PURCHASE = 2;

export interface StoredEvent {
  item: number;
  ts: number;
  type: number;
  quantity: number;
}

/** Smallest room a session gets in the arena. */
const MIN_ROOM = 4;

/**
 * The session index: every learned session as its time-ordered item sequence, an inverted index
 * item -> sessions containing it (oldest first), and item -> sessions in which it was bought.
 * All counts are integers and every structure is a deterministic function of the stored sessions,
 * so removing a subject's sessions restores exactly the state built without them.
 *
 * The events live in an arena: four shared typed arrays (items, times, type codes, quantities) in
 * which every session owns a region `[start, start + room)`, its first `slotLength` entries used,
 * in time order. A session that outgrows its room moves to a region twice as large at the end; a
 * region given up is zeroed, and once more than half the arena is given up it is packed again.
 * So a million sessions are a few large objects for the garbage collector, not millions of small
 * arrays, and a scorer reads a session as a run of adjacent entries. Every entry a session does
 * not use is zero: a removed event is overwritten, not just unlinked.
 */
export class SessionStore {
  /** the arena: items, event times, type codes, quantities (see `start`, `slotLength`) */
  itemData = new Int32Array(0);
  timeData = new Float64Array(0);
  typeData = new Int8Array(0);
  qtyData = new Float64Array(0);
  /** per slot: where its region starts, how many entries it has room for and uses */
  start = new Int32Array(0);
  room = new Int32Array(0);
  slotLength = new Int32Array(0);
  /** per slot: the time of its last event (-Infinity when free) */
  slotLast = new Float64Array(0);
  /** per item: the number of sessions holding it (the length of its posting list) */
  postingCount = new Int32Array(0);
  readonly keys: string[] = [];
  readonly subjects: string[] = [];
  /** item -> slots containing it, in the order sessions first touched the item */
  readonly postings: number[][] = [];
  /** item -> slots in which it was bought */
  readonly purchases: number[][] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly bySubject = new Map<string, number[]>();
  private readonly free: number[] = [];
  private live = 0;
  /** arena entries handed out to regions, and those of regions given up since (zeroed) */
  private used = 0;
  private waste = 0;
  /** during a bulk build: the number of events each session will get (see `expect`) */
  private expected: ReadonlyMap<string, number> | null = null;

  /**
   * `idOf` names an interned item, so that events at the same millisecond take a canonical
   * place in their session (by type, item id, quantity) whatever order they arrived in: a
   * session learned event by event equals the same session rebuilt from storage.
   */
  constructor(private readonly idOf: (item: number) => string = String) {}

  /** Whether event `i` of the slot sorts after `ev` (time, then type, item id and quantity). */
  private after(slot: number, i: number, ev: StoredEvent): boolean {
    const at = this.start[slot]! + i;
    const t = this.timeData[at]!;
    if (t !== ev.ts) return t > ev.ts;
    const type = this.typeData[at]!;
    if (type !== ev.type) return type > ev.type;
    const item = this.itemData[at]!;
    if (item !== ev.item) return this.idOf(item) > this.idOf(ev.item);
    return this.qtyData[at]! > ev.quantity;
  }

  get slotCapacity(): number {
    return this.keys.length;
  }

  get sessionCount(): number {
    return this.live;
  }

  lastTs(slot: number): number {
    return slot < this.slotLast.length ? this.slotLast[slot]! : Number.NEGATIVE_INFINITY;
  }

  /** The slot's items, times and type codes in time order (views into the arena, valid until the next change). */
  itemsOf(slot: number): Int32Array {
    const b = this.start[slot]!;
    return this.itemData.subarray(b, b + this.slotLength[slot]!);
  }

  timesOf(slot: number): Float64Array {
    const b = this.start[slot]!;
    return this.timeData.subarray(b, b + this.slotLength[slot]!);
  }

  typesOf(slot: number): Int8Array {
    const b = this.start[slot]!;
    return this.typeData.subarray(b, b + this.slotLength[slot]!);
  }

  /** Arena entries in use and in total (for tests and stats). */
  arenaUse(): { used: number; waste: number; capacity: number } {
    return { used: this.used, waste: this.waste, capacity: this.itemData.length };
  }

  subjectCount(): number {
    return this.bySubject.size;
  }

  /**
   * Before a bulk build: `sizes` names how many events each session (by key) will get, `total`
   * their sum. The arena is allocated once for all of them and every session gets its room at
   * its first event, so nothing moves or is given up while the build runs (no waste, no repeated
   * large allocations, which would make the garbage collector stop the thread). `null` after it.
   */
  expect(sizes: ReadonlyMap<string, number> | null, total = 0): void {
    this.expected = sizes;
    if (this.used + total > this.itemData.length) this.#resize(this.used + total);
  }

  /** A new slot at the end of the per-slot arrays. */
  #newSlot(): number {
    const slot = this.keys.length;
    if (slot >= this.start.length) {
      const n = Math.max(1024, this.start.length * 2);
      this.start = grown(this.start, new Int32Array(n));
      this.room = grown(this.room, new Int32Array(n));
      this.slotLength = grown(this.slotLength, new Int32Array(n));
      this.slotLast = grown(this.slotLast, new Float64Array(n).fill(Number.NEGATIVE_INFINITY));
    }
    this.keys.push('');
    this.subjects.push('');
    return slot;
  }

  /** Makes room for `need` entries in the slot's region, moving it to the end when it is too small. */
  #reserve(slot: number, need: number): void {
    const room = this.room[slot]!;
    if (need <= room) return;
    const hint = room === 0 ? (this.expected?.get(this.keys[slot]!) ?? 0) : 0;
    const want = Math.max(hint > 0 ? 1 : MIN_ROOM, room * 2, need, hint);
    const begin = this.start[slot]!;
    if (room > 0 && begin + room === this.used && begin + want <= this.itemData.length) {
      // The last region grows in place.
      this.room[slot] = want;
      this.used = begin + want;
      return;
    }
    if (this.used + want > this.itemData.length) this.#repack(want);
    const from = this.start[slot]!;
    const oldRoom = this.room[slot]!;
    const len = this.slotLength[slot]!;
    const to = this.used;
    this.itemData.copyWithin(to, from, from + len);
    this.timeData.copyWithin(to, from, from + len);
    this.typeData.copyWithin(to, from, from + len);
    this.qtyData.copyWithin(to, from, from + len);
    this.#zero(from, from + oldRoom);
    this.waste += oldRoom;
    this.start[slot] = to;
    this.room[slot] = want;
    this.used = to + want;
  }

  #zero(from: number, to: number): void {
    if (to <= from) return;
    this.itemData.fill(0, from, to);
    this.timeData.fill(0, from, to);
    this.typeData.fill(0, from, to);
    this.qtyData.fill(0, from, to);
  }

  /**
   * New arena arrays with room for at least `extra` more entries: the regions in use packed in
   * slot order (see `compactSteps`) when more than half of the arena was given up, else copied.
   */
  #repack(extra: number): void {
    if (this.waste > this.used - this.waste) {
      runAll(this.compactSteps(() => false, extra));
      if (this.used + extra <= this.itemData.length) return;
    }
    this.#resize(Math.max(1024, 2 * (this.used + extra)));
  }

  /** New arena arrays of `size` entries, the entries handed out copied. */
  #resize(size: number): void {
    this.itemData = grown(this.itemData.subarray(0, this.used), new Int32Array(size));
    this.timeData = grown(this.timeData.subarray(0, this.used), new Float64Array(size));
    this.typeData = grown(this.typeData.subarray(0, this.used), new Int8Array(size));
    this.qtyData = grown(this.qtyData.subarray(0, this.used), new Float64Array(size));
  }

  /**
   * Packs the arena into new arrays: the regions in slot order, each with room for exactly its
   * entries, nothing given up, and room for `extra` more entries at the end (after a bulk
   * build, the room left for growth is most of the arena). Contents and meaning are unchanged.
   * Yields between slots when `due()`; the store must not change until it is done (the old
   * arrays serve reads until the new ones replace them at the end).
   */
  *compactSteps(due: () => boolean, extra = 0): Generator<void, void, void> {
    // Nothing given up and no room to spare in any region: already packed.
    if (this.waste === 0 && extra === 0 && this.#packed()) return;
    const slots = this.keys.length;
    let live = 0;
    for (let slot = 0; slot < slots; slot++) live += this.slotLength[slot]!;
    const size = live + extra;
    const items = new Int32Array(size);
    const times = new Float64Array(size);
    const types = new Int8Array(size);
    const qty = new Float64Array(size);
    const start = new Int32Array(this.start.length);
    let at = 0;
    for (let slot = 0; slot < slots; slot++) {
      const len = this.slotLength[slot]!;
      const from = this.start[slot]!;
      for (let i = 0; i < len; i++) {
        items[at + i] = this.itemData[from + i]!;
        times[at + i] = this.timeData[from + i]!;
        types[at + i] = this.typeData[from + i]!;
        qty[at + i] = this.qtyData[from + i]!;
      }
      start[slot] = len > 0 ? at : 0;
      at += len;
      if ((slot & 1023) === 0 && due()) yield;
    }
    this.itemData = items;
    this.timeData = times;
    this.typeData = types;
    this.qtyData = qty;
    this.start = start;
    this.room = this.slotLength.slice();
    this.used = at;
    this.waste = 0;
  }

  #packed(): boolean {
    for (let slot = 0; slot < this.keys.length; slot++)
      if (this.room[slot] !== this.slotLength[slot]) return false;
    return true;
  }

  /** Brings the slot's last time up to date with its events. */
  #slotChanged(slot: number): void {
    const len = this.slotLength[slot]!;
    this.slotLast[slot] = len === 0 ? Number.NEGATIVE_INFINITY : this.timeData[this.start[slot]! + len - 1]!;
  }

  /** Brings the item's dense posting count up to date with its posting list. */
  #itemChanged(item: number): void {
    if (item >= this.postingCount.length) {
      const n = Math.max(item + 1, this.postingCount.length * 2, 1024);
      this.postingCount = grown(this.postingCount, new Int32Array(n));
    }
    this.postingCount[item] = this.postings[item]?.length ?? 0;
  }

  /** Whether the slot holds the item. */
  #holds(slot: number, item: number): boolean {
    const b = this.start[slot]!;
    const end = b + this.slotLength[slot]!;
    for (let i = b; i < end; i++) if (this.itemData[i] === item) return true;
    return false;
  }

  /** Adds one event at its time position in its session, indexing a new item or a new purchase. */
  addEvent(subject: string, session: string, ev: StoredEvent): void {
    const key = `${subject}\u0000${session}`;
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.#newSlot();
      this.keys[slot] = key;
      this.subjects[slot] = subject;
      this.slotOf.set(key, slot);
      const own = this.bySubject.get(subject);
      if (own) own.push(slot);
      else this.bySubject.set(subject, [slot]);
      this.live++;
    }
    const seen = this.#holds(slot, ev.item);
    const bought = ev.type === PURCHASE && seen && this.boughtIn(slot, ev.item);
    const len = this.slotLength[slot]!;
    let at = len;
    while (at > 0 && this.after(slot, at - 1, ev)) at--;
    this.#reserve(slot, len + 1);
    const b = this.start[slot]!;
    if (at < len) {
      this.itemData.copyWithin(b + at + 1, b + at, b + len);
      this.timeData.copyWithin(b + at + 1, b + at, b + len);
      this.typeData.copyWithin(b + at + 1, b + at, b + len);
      this.qtyData.copyWithin(b + at + 1, b + at, b + len);
    }
    this.itemData[b + at] = ev.item;
    this.timeData[b + at] = ev.ts;
    this.typeData[b + at] = ev.type;
    this.qtyData[b + at] = ev.quantity;
    this.slotLength[slot] = len + 1;
    this.#slotChanged(slot);
    if (!seen) {
      listFor(this.postings, ev.item).push(slot);
      this.#itemChanged(ev.item);
    }
    if (ev.type === PURCHASE && !bought) listFor(this.purchases, ev.item).push(slot);
  }

  boughtIn(slot: number, item: number): boolean {
    const b = this.start[slot]!;
    const end = b + this.slotLength[slot]!;
    for (let i = b; i < end; i++) if (this.itemData[i] === item && this.typeData[i] === PURCHASE) return true;
    return false;
  }

  /** `compactSlot` for an item's posting and purchase lists. */
  compactItem(item: number): void {
    if (this.postings[item]) this.postings[item] = this.postings[item].slice();
    if (this.purchases[item]) this.purchases[item] = this.purchases[item].slice();
  }

  /** The distinct items the subject bought in their learned sessions. */
  purchasedBy(subject: string): Set<number> {
    const items = new Set<number>();
    for (const slot of this.bySubject.get(subject) ?? []) {
      const b = this.start[slot]!;
      const end = b + this.slotLength[slot]!;
      for (let i = b; i < end; i++) if (this.typeData[i] === PURCHASE) items.add(this.itemData[i]!);
    }
    return items;
  }

  /** Whether the subject has any learned session (the subject index). */
  hasSubject(subject: string): boolean {
    return this.bySubject.has(subject);
  }

  /** How many sessions and events of the subject are learned. */
  subjectShare(subject: string): { sessions: number; events: number } {
    const slots = this.bySubject.get(subject) ?? [];
    let events = 0;
    for (const slot of slots) events += this.slotLength[slot]!;
    return { sessions: slots.length, events };
  }

  /**
   * Whether the subject's id appears anywhere in the index: the subject map, a live slot's
   * subject or key. After `removeSubject` every one of these must be false (R4).
   */
  mentions(subject: string): boolean {
    if (this.bySubject.has(subject)) return true;
    const prefix = `${subject}\u0000`;
    for (let slot = 0; slot < this.keys.length; slot++) {
      if (this.subjects[slot] === subject || this.keys[slot]!.startsWith(prefix)) return true;
    }
    for (const key of this.slotOf.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** Index in the arena of the slot's first event equal to `ev`, or -1. */
  #find(slot: number, ev: StoredEvent): number {
    const b = this.start[slot]!;
    const end = b + this.slotLength[slot]!;
    for (let i = b; i < end; i++)
      if (
        this.itemData[i] === ev.item &&
        this.timeData[i] === ev.ts &&
        this.typeData[i] === ev.type &&
        this.qtyData[i] === ev.quantity
      )
        return i;
    return -1;
  }

  /** Whether the event (item, time, type and quantity) is learned in the subject's session. */
  hasEvent(subject: string, session: string, ev: StoredEvent): boolean {
    const slot = this.slotOf.get(`${subject}\u0000${session}`);
    return slot !== undefined && this.#find(slot, ev) >= 0;
  }

  /**
   * Removes one learned event (the first that matches item, time, type and quantity) from the
   * subject's session: retention and correction take single events out. Returns false when no
   * such event was learned. The indexes end as if the event had never been added, and the
   * event's entry in the arena is overwritten.
   */
  removeEvent(subject: string, session: string, ev: StoredEvent): boolean {
    const key = `${subject}\u0000${session}`;
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    const at = this.#find(slot, ev);
    if (at < 0) return false;
    const end = this.start[slot]! + this.slotLength[slot]!;
    this.itemData.copyWithin(at, at + 1, end);
    this.timeData.copyWithin(at, at + 1, end);
    this.typeData.copyWithin(at, at + 1, end);
    this.qtyData.copyWithin(at, at + 1, end);
    this.#zero(end - 1, end);
    this.slotLength[slot]!--;
    this.#slotChanged(slot);
    if (!this.#holds(slot, ev.item)) {
      removeFrom(this.postings[ev.item], slot);
      this.#itemChanged(ev.item);
    }
    if (ev.type === PURCHASE && !this.boughtIn(slot, ev.item)) removeFrom(this.purchases[ev.item], slot);
    if (this.slotLength[slot] === 0) this.#freeSlot(slot, subject);
    return true;
  }

  /** Gives up the slot's region (zeroed) and its key. */
  #release(slot: number): void {
    const b = this.start[slot]!;
    this.#zero(b, b + this.room[slot]!);
    this.waste += this.room[slot]!;
    this.start[slot] = 0;
    this.room[slot] = 0;
    this.slotLength[slot] = 0;
    this.slotLast[slot] = Number.NEGATIVE_INFINITY;
    this.slotOf.delete(this.keys[slot]!);
    this.keys[slot] = '';
    this.subjects[slot] = '';
    this.free.push(slot);
    this.live--;
  }

  #freeSlot(slot: number, subject: string): void {
    this.#release(slot);
    const own = this.bySubject.get(subject);
    if (own) {
      own.splice(own.indexOf(slot), 1);
      if (own.length === 0) this.bySubject.delete(subject);
    }
  }

  /** Removes every session of the subject; calls `onEvent` for each removed event with its session key. */
  removeSubject(
    subject: string,
    onEvent: (ev: StoredEvent, key: string) => void,
  ): { sessions: number; events: number } {
    const slots = this.bySubject.get(subject);
    if (!slots) return { sessions: 0, events: 0 };
    let events = 0;
    for (const slot of slots) {
      const b = this.start[slot]!;
      const len = this.slotLength[slot]!;
      const distinct = new Set(this.itemData.subarray(b, b + len));
      for (const item of distinct) {
        removeFrom(this.postings[item], slot);
        this.#itemChanged(item);
        if (this.boughtIn(slot, item)) removeFrom(this.purchases[item], slot);
      }
      const key = this.keys[slot]!;
      for (let i = b; i < b + len; i++) {
        onEvent(
          {
            item: this.itemData[i]!,
            ts: this.timeData[i]!,
            type: this.typeData[i]!,
            quantity: this.qtyData[i]!,
          },
          key,
        );
      }
      events += len;
      this.#release(slot);
    }
    this.bySubject.delete(subject);
    return { sessions: slots.length, events };
  }

  /** Time of the first purchase of `item` in `slot`, or NaN. */
  purchaseTime(slot: number, item: number): number {
    const b = this.start[slot]!;
    const end = b + this.slotLength[slot]!;
    for (let i = b; i < end; i++)
      if (this.itemData[i] === item && this.typeData[i] === PURCHASE) return this.timeData[i]!;
    return Number.NaN;
  }

  /** Canonical lines (sessions with their events, and the inverted indexes) for the fingerprint. */
  canonicalLines(ids: readonly string[]): string[] {
    const lines: string[] = [];
    for (let slot = 0; slot < this.keys.length; slot++) {
      const len = this.slotLength[slot]!;
      if (len === 0) continue;
      const b = this.start[slot]!;
      const parts: string[] = [];
      for (let i = b; i < b + len; i++)
        parts.push(`${ids[this.itemData[i]!]}@${this.timeData[i]}:${this.typeData[i]}x${this.qtyData[i]}`);
      lines.push(`s|${this.keys[slot]}|${parts.join(',')}`);
    }
    const index = (tag: string, lists: number[][]) => {
      for (let item = 0; item < lists.length; item++) {
        const list = lists[item];
        if (!list || list.length === 0) continue;
        lines.push(
          `${tag}|${ids[item]}|${list
            .map((s) => this.keys[s])
            .sort()
            .join(',')}`,
        );
      }
    };
    index('p', this.postings);
    index('b', this.purchases);
    return lines.sort();
  }
}

/** `into` with `from` copied to its start. */
function grown<T extends Int32Array | Float64Array | Int8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

function runAll(steps: Generator<void, void, void>): void {
  while (!steps.next().done);
}

function listFor(lists: number[][], item: number): number[] {
  while (lists.length <= item) lists.push([]);
  return lists[item]!;
}

function removeFrom(list: number[] | undefined, slot: number): void {
  if (!list) return;
  const at = list.lastIndexOf(slot);
  if (at >= 0) list.splice(at, 1);
}
