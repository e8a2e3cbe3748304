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

/**
 * The session index: every learned session as its time-ordered item sequence, an inverted index
 * item -> sessions containing it (oldest first), and item -> sessions in which it was bought.
 * All counts are integers and every structure is a deterministic function of the stored sessions,
 * so removing a subject's sessions restores exactly the state built without them.
 */
export class SessionStore {
  /** per slot: item sequence, event times, type codes, quantities; empty arrays for free slots */
  readonly seq: number[][] = [];
  readonly times: number[][] = [];
  readonly types: number[][] = [];
  readonly quantities: number[][] = [];
  readonly keys: string[] = [];
  readonly subjects: string[] = [];
  /** item -> slots containing it, in the order sessions first touched the item */
  readonly postings: number[][] = [];
  /** item -> slots in which it was bought */
  readonly purchases: number[][] = [];
  /**
   * Dense copies the scorers read per neighbour session and per candidate (one typed-array read
   * instead of following an array): per slot its number of events and the time of its last event
   * (-Infinity when free), per item the number of sessions holding it. Kept equal to the lists.
   */
  slotLength = new Int32Array(0);
  slotLast = new Float64Array(0);
  postingCount = new Int32Array(0);
  private readonly slotOf = new Map<string, number>();
  private readonly bySubject = new Map<string, number[]>();
  private readonly free: number[] = [];
  private live = 0;

  /**
   * `idOf` names an interned item, so that events at the same millisecond take a canonical
   * place in their session (by type, item id, quantity) whatever order they arrived in: a
   * session learned event by event equals the same session rebuilt from storage.
   */
  constructor(private readonly idOf: (item: number) => string = String) {}

  /** Whether event `i` of the slot sorts after `ev` (time, then type, item id and quantity). */
  private after(slot: number, i: number, ev: StoredEvent): boolean {
    const t = this.times[slot]![i]!;
    if (t !== ev.ts) return t > ev.ts;
    const type = this.types[slot]![i]!;
    if (type !== ev.type) return type > ev.type;
    const item = this.seq[slot]![i]!;
    if (item !== ev.item) return this.idOf(item) > this.idOf(ev.item);
    return this.quantities[slot]![i]! > ev.quantity;
  }

  get slotCapacity(): number {
    return this.seq.length;
  }

  get sessionCount(): number {
    return this.live;
  }

  lastTs(slot: number): number {
    return slot < this.slotLast.length ? this.slotLast[slot]! : Number.NEGATIVE_INFINITY;
  }

  /** Brings the slot's dense length and last time up to date with its lists. */
  #slotChanged(slot: number): void {
    if (slot >= this.slotLength.length) {
      const n = Math.max(slot + 1, this.slotLength.length * 2, 1024);
      const length = new Int32Array(n);
      length.set(this.slotLength);
      const last = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
      last.set(this.slotLast);
      this.slotLength = length;
      this.slotLast = last;
    }
    const times = this.times[slot]!;
    this.slotLength[slot] = times.length;
    this.slotLast[slot] = times.length === 0 ? Number.NEGATIVE_INFINITY : times[times.length - 1]!;
  }

  /** Brings the item's dense posting count up to date with its posting list. */
  #itemChanged(item: number): void {
    if (item >= this.postingCount.length) {
      const n = Math.max(item + 1, this.postingCount.length * 2, 1024);
      const count = new Int32Array(n);
      count.set(this.postingCount);
      this.postingCount = count;
    }
    this.postingCount[item] = this.postings[item]?.length ?? 0;
  }

  subjectCount(): number {
    return this.bySubject.size;
  }

  /** Adds one event at its time position in its session, indexing a new item or a new purchase. */
  addEvent(subject: string, session: string, ev: StoredEvent): void {
    const key = `${subject}\u0000${session}`;
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.seq.length;
      if (slot === this.seq.length) {
        this.seq.push([]);
        this.times.push([]);
        this.types.push([]);
        this.quantities.push([]);
        this.keys.push('');
        this.subjects.push('');
      }
      this.keys[slot] = key;
      this.subjects[slot] = subject;
      this.slotOf.set(key, slot);
      const own = this.bySubject.get(subject);
      if (own) own.push(slot);
      else this.bySubject.set(subject, [slot]);
      this.live++;
    }
    const seq = this.seq[slot]!;
    const times = this.times[slot]!;
    const types = this.types[slot]!;
    const qty = this.quantities[slot]!;
    const seen = seq.includes(ev.item);
    const bought = ev.type === PURCHASE && seen && this.boughtIn(slot, ev.item);
    let at = times.length;
    while (at > 0 && this.after(slot, at - 1, ev)) at--;
    seq.splice(at, 0, ev.item);
    times.splice(at, 0, ev.ts);
    types.splice(at, 0, ev.type);
    qty.splice(at, 0, ev.quantity);
    if (!seen) {
      listFor(this.postings, ev.item).push(slot);
      this.#itemChanged(ev.item);
    }
    if (ev.type === PURCHASE && !bought) listFor(this.purchases, ev.item).push(slot);
    this.#slotChanged(slot);
  }

  boughtIn(slot: number, item: number): boolean {
    const seq = this.seq[slot]!;
    const types = this.types[slot]!;
    for (let i = 0; i < seq.length; i++) if (seq[i] === item && types[i] === PURCHASE) return true;
    return false;
  }

  /**
   * Copies a slot's arrays at their exact size: after a bulk build the room arrays keep for
   * growth is most of their memory. Contents and meaning are unchanged.
   */
  compactSlot(slot: number): void {
    if (this.seq[slot]!.length === 0) return;
    this.seq[slot] = this.seq[slot]!.slice();
    this.times[slot] = this.times[slot]!.slice();
    this.types[slot] = this.types[slot]!.slice();
    this.quantities[slot] = this.quantities[slot]!.slice();
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
      const seq = this.seq[slot]!;
      const types = this.types[slot]!;
      for (let i = 0; i < seq.length; i++) if (types[i] === PURCHASE) items.add(seq[i]!);
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
    for (const slot of slots) events += this.seq[slot]!.length;
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

  /** Whether the event (item, time, type and quantity) is learned in the subject's session. */
  hasEvent(subject: string, session: string, ev: StoredEvent): boolean {
    const slot = this.slotOf.get(`${subject}\u0000${session}`);
    if (slot === undefined) return false;
    const seq = this.seq[slot]!;
    const times = this.times[slot]!;
    const types = this.types[slot]!;
    const qty = this.quantities[slot]!;
    for (let i = 0; i < seq.length; i++)
      if (seq[i] === ev.item && times[i] === ev.ts && types[i] === ev.type && qty[i] === ev.quantity)
        return true;
    return false;
  }

  /**
   * Removes one learned event (the first that matches item, time, type and quantity) from the
   * subject's session: retention and correction take single events out. Returns false when no
   * such event was learned. The indexes end as if the event had never been added.
   */
  removeEvent(subject: string, session: string, ev: StoredEvent): boolean {
    const key = `${subject}\u0000${session}`;
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    const seq = this.seq[slot]!;
    const times = this.times[slot]!;
    const types = this.types[slot]!;
    const qty = this.quantities[slot]!;
    let at = -1;
    for (let i = 0; i < seq.length; i++) {
      if (seq[i] === ev.item && times[i] === ev.ts && types[i] === ev.type && qty[i] === ev.quantity) {
        at = i;
        break;
      }
    }
    if (at < 0) return false;
    seq.splice(at, 1);
    times.splice(at, 1);
    types.splice(at, 1);
    qty.splice(at, 1);
    if (!seq.includes(ev.item)) {
      removeFrom(this.postings[ev.item], slot);
      this.#itemChanged(ev.item);
    }
    if (ev.type === PURCHASE && !this.boughtIn(slot, ev.item)) removeFrom(this.purchases[ev.item], slot);
    this.#slotChanged(slot);
    if (seq.length === 0) this.#freeSlot(slot, subject);
    return true;
  }

  #freeSlot(slot: number, subject: string): void {
    this.slotOf.delete(this.keys[slot]!);
    this.keys[slot] = '';
    this.subjects[slot] = '';
    this.free.push(slot);
    this.live--;
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
      const seq = this.seq[slot]!;
      const times = this.times[slot]!;
      const types = this.types[slot]!;
      const qty = this.quantities[slot]!;
      const distinct = new Set(seq);
      for (const item of distinct) {
        removeFrom(this.postings[item], slot);
        this.#itemChanged(item);
        if (this.boughtIn(slot, item)) removeFrom(this.purchases[item], slot);
      }
      const key = this.keys[slot]!;
      for (let i = 0; i < seq.length; i++) {
        onEvent({ item: seq[i]!, ts: times[i]!, type: types[i]!, quantity: qty[i]! }, key);
      }
      events += seq.length;
      this.slotOf.delete(this.keys[slot]!);
      this.seq[slot] = [];
      this.times[slot] = [];
      this.types[slot] = [];
      this.quantities[slot] = [];
      this.#slotChanged(slot);
      this.keys[slot] = '';
      this.subjects[slot] = '';
      this.free.push(slot);
      this.live--;
    }
    this.bySubject.delete(subject);
    return { sessions: slots.length, events };
  }

  /** Time of the first purchase of `item` in `slot`, or NaN. */
  purchaseTime(slot: number, item: number): number {
    const seq = this.seq[slot]!;
    const types = this.types[slot]!;
    for (let i = 0; i < seq.length; i++)
      if (seq[i] === item && types[i] === PURCHASE) return this.times[slot]![i]!;
    return Number.NaN;
  }

  /** Canonical lines (sessions with their events, and the inverted indexes) for the fingerprint. */
  canonicalLines(ids: readonly string[]): string[] {
    const lines: string[] = [];
    for (let slot = 0; slot < this.seq.length; slot++) {
      const seq = this.seq[slot]!;
      if (seq.length === 0) continue;
      const parts = seq.map(
        (item, i) =>
          `${ids[item]}@${this.times[slot]![i]}:${this.types[slot]![i]}x${this.quantities[slot]![i]}`,
      );
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

function listFor(lists: number[][], item: number): number[] {
  while (lists.length <= item) lists.push([]);
  return lists[item]!;
}

function removeFrom(list: number[] | undefined, slot: number): void {
  if (!list) return;
  const at = list.lastIndexOf(slot);
  if (at >= 0) list.splice(at, 1);
}
