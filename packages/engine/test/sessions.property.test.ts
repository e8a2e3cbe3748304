import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PURCHASE, SessionStore, type StoredEvent } from '../src/models/sessions';
import { runNow } from '../src/models/slices';

/** One learned event with its subject and session. */
interface Learned {
  subject: string;
  session: string;
  ev: StoredEvent;
}

const ids = Array.from({ length: 12 }, (_, i) => `i${i}`);
const storeOf = () => new SessionStore((item) => ids[item]!);

/** A store learned from `events` in one go (the reference a store after removals must equal). */
function fresh(events: readonly Learned[]): SessionStore {
  const s = storeOf();
  for (const e of events) s.addEvent(e.subject, e.session, e.ev);
  return s;
}

/**
 * Every arena entry outside the used part of a live region is zero, and the used parts hold
 * exactly the learned events: nothing removed stays behind in the buffers.
 */
function expectArenaHoldsOnly(store: SessionStore, live: readonly Learned[]): void {
  const owned = new Uint8Array(store.itemData.length);
  const held: string[] = [];
  for (let slot = 0; slot < store.slotCapacity; slot++) {
    const b = store.start[slot]!;
    const len = store.slotLength[slot]!;
    expect(len).toBeLessThanOrEqual(store.room[slot]!);
    for (let i = b; i < b + len; i++) {
      expect(owned[i]).toBe(0); // regions do not overlap
      owned[i] = 1;
      held.push(
        `${store.keys[slot]}|${store.itemData[i]}@${store.timeData[i]}:${store.typeData[i]}x${store.qtyData[i]}`,
      );
    }
  }
  for (let i = 0; i < owned.length; i++) {
    if (owned[i]) continue;
    if (
      store.itemData[i] !== 0 ||
      store.timeData[i] !== 0 ||
      store.typeData[i] !== 0 ||
      store.qtyData[i] !== 0
    )
      throw new Error(`arena entry ${i} is not in use but not zero`);
  }
  const expected = live.map(
    (e) => `${e.subject}\u0000${e.session}|${e.ev.item}@${e.ev.ts}:${e.ev.type}x${e.ev.quantity}`,
  );
  expect(held.sort()).toEqual(expected.sort());
}

type Op =
  | {
      kind: 'add';
      subject: number;
      session: number;
      item: number;
      ts: number;
      type: number;
      quantity: number;
    }
  | { kind: 'removeEvent'; pick: number }
  | { kind: 'removeSubject'; subject: number }
  | { kind: 'compact' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      subject: fc.integer({ min: 0, max: 3 }),
      session: fc.integer({ min: 0, max: 2 }),
      item: fc.integer({ min: 0, max: ids.length - 1 }),
      ts: fc.integer({ min: 1, max: 40 }),
      type: fc.integer({ min: 0, max: 3 }),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('removeEvent' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('removeSubject' as const),
      subject: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
);

/** Runs the ops on a store and on a plain list of what is learned. */
function run(ops: readonly Op[]): { store: SessionStore; live: Learned[] } {
  const store = storeOf();
  let live: Learned[] = [];
  for (const op of ops) {
    if (op.kind === 'add') {
      const e: Learned = {
        subject: `u${op.subject}`,
        session: `s${op.session}`,
        ev: { item: op.item, ts: op.ts, type: op.type, quantity: op.quantity },
      };
      store.addEvent(e.subject, e.session, e.ev);
      live.push(e);
    } else if (op.kind === 'removeEvent') {
      if (live.length === 0) continue;
      const [e] = live.splice(op.pick % live.length, 1);
      expect(store.removeEvent(e!.subject, e!.session, e!.ev)).toBe(true);
    } else if (op.kind === 'removeSubject') {
      const subject = `u${op.subject}`;
      store.removeSubject(subject, () => {});
      live = live.filter((e) => e.subject !== subject);
      expect(store.mentions(subject)).toBe(false);
    } else runNow(store.compactSteps(() => false));
  }
  return { store, live };
}

describe('session arena (property)', () => {
  it('R4: after any adds, single removals, subject removals and packing, the store equals one learned afresh and its buffers hold nothing removed', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const { store, live } = run(ops);
        expect(store.canonicalLines(ids)).toEqual(fresh(live).canonicalLines(ids));
        expectArenaHoldsOnly(store, live);
        for (let slot = 0; slot < store.slotCapacity; slot++) {
          const len = store.slotLength[slot]!;
          expect(store.lastTs(slot)).toBe(
            len === 0 ? Number.NEGATIVE_INFINITY : store.timesOf(slot)[len - 1],
          );
        }
        for (let item = 0; item < ids.length; item++)
          expect(store.postingCount[item] ?? 0).toBe(store.postings[item]?.length ?? 0);
      }),
      { numRuns: 400 },
    );
  });

  it('R4: a large store moves, grows and packs its regions and still holds exactly what is learned', () => {
    // Seeded, beyond the arena's first size: sessions outgrow their room and move, whole subjects
    // are removed (more than half of the arena given up), and the arena is packed on growth.
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const store = storeOf();
    let live: Learned[] = [];
    for (let round = 0; round < 6; round++) {
      for (let n = 0; n < 3000; n++) {
        const e: Learned = {
          subject: `u${Math.floor(rnd() * 40)}`,
          session: `s${Math.floor(rnd() * 5)}`,
          ev: {
            item: Math.floor(rnd() * ids.length),
            ts: 1 + Math.floor(rnd() * 1000),
            type: rnd() < 0.2 ? PURCHASE : 0,
            quantity: 1,
          },
        };
        store.addEvent(e.subject, e.session, e.ev);
        live.push(e);
      }
      for (let u = round % 2; u < 40; u += 2) {
        const subject = `u${u}`;
        if (rnd() < 0.7) {
          store.removeSubject(subject, () => {});
          live = live.filter((e) => e.subject !== subject);
        }
      }
      for (let n = 0; n < 200 && live.length > 0; n++) {
        const [e] = live.splice(Math.floor(rnd() * live.length), 1);
        expect(store.removeEvent(e!.subject, e!.session, e!.ev)).toBe(true);
      }
      expectArenaHoldsOnly(store, live);
    }
    expect(store.arenaUse().capacity).toBeGreaterThan(1024);
    expect(store.canonicalLines(ids)).toEqual(fresh(live).canonicalLines(ids));
  });
});
