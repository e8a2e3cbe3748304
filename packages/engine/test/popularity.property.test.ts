import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, Popularity } from '../src/models/popularity';

const IDS = Array.from({ length: 12 }, (_, i) => `item-${String.fromCharCode(97 + ((i * 5) % 12))}`);
const NOW = Date.UTC(2025, 5, 1, 12);

const change = fc.record({
  item: fc.integer({ min: 0, max: IDS.length - 1 }),
  day: fc.integer({ min: -20, max: 2 }),
  type: fc.integer({ min: 0, max: 3 }),
  ask: fc.boolean(),
});

describe('trending rankings kept up to date', () => {
  it('after any adds, removals and queries in between, the ranking equals one computed afresh', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        (changes, drops) => {
          const live = new Popularity();
          const added: { item: number; ts: number; type: number }[] = [];
          for (const c of changes) {
            const ev = { item: c.item, ts: NOW + c.day * DAY_MS, type: c.type };
            live.add(ev.item, ev.ts, ev.type, 1);
            added.push(ev);
            if (c.ask) live.trending(NOW, 7, IDS);
            if (c.ask) live.trending(NOW, 3.5, IDS);
          }
          // Unlearn some of them again (each at most once).
          const kept = [...added];
          for (const d of drops) {
            if (kept.length === 0) break;
            const [ev] = kept.splice(d % kept.length, 1);
            live.add(ev!.item, ev!.ts, ev!.type, -1);
            if (d % 3 === 0) live.trending(NOW, 7, IDS);
          }
          const fresh = new Popularity();
          for (const ev of kept) fresh.add(ev.item, ev.ts, ev.type, 1);
          for (const h of [7, 3.5]) {
            const a = live.trending(NOW, h, IDS);
            const b = fresh.trending(NOW, h, IDS);
            expect([...a.ranked]).toEqual([...b.ranked]);
            for (const item of b.ranked) expect(a.score[item]).toBe(b.score[item]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
