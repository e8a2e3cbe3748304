import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDerived, buildModels, type Interaction, type Models, recommend } from '../src/index';
import { catalog, DAY, ev, NOW, shopHistory, viewOf } from './fixture';

const ITEMS = [...catalog.map((c) => c.id), 'extra-1', 'extra-2'];

const interactionsOf = (subjects: readonly string[]) =>
  fc.array(
    fc.record({
      subject: fc.constantFrom(...subjects),
      session: fc.constantFrom('s1', 's2', 's3'),
      item: fc.constantFrom(...ITEMS),
      type: fc.constantFrom('view', 'add_to_cart', 'remove_from_cart', 'purchase', 'search' as const),
      ts: fc.integer({ min: NOW - 30 * DAY, max: NOW }),
      quantity: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      category: fc.constantFrom('browsing', 'cart', 'purchases'),
    }) as fc.Arbitrary<Interaction>,
    { maxLength: 40 },
  );

const A = ['a1', 'a2', 'a3'];
const B = ['b1', 'b2'];

/** Every row the derived model serves, by item id: neighbour ids and weights. */
const servedRows = (m: Models) => {
  const d = m.derived;
  if (d === null) return null;
  const ids = m.items.ids;
  const { nbrStart, nbrCol, nbrW } = d.data;
  const rows: [string, string[], number[]][] = [];
  for (let item = 0; item < d.data.itemCount; item++) {
    if (!d.hasRow(item)) continue;
    const from = nbrStart[item]!;
    const to = nbrStart[item + 1]!;
    rows.push([ids[item]!, [...nbrCol.subarray(from, to)].map((j) => ids[j]!), [...nbrW.subarray(from, to)]]);
  }
  return rows.sort((x, y) => (x[0] < y[0] ? -1 : 1));
};

const purchasesOf = (subjects: readonly string[]) =>
  fc.array(
    fc.record({
      subject: fc.constantFrom(...subjects),
      session: fc.constantFrom('s1', 's2'),
      item: fc.constantFrom(...ITEMS),
      type: fc.constantFrom('purchase', 'view' as const),
      ts: fc.integer({ min: NOW - 30 * DAY, max: NOW }),
      category: fc.constant('purchases'),
    }) as fc.Arbitrary<Interaction>,
    { maxLength: 40 },
  );

describe('exact decremental updates (property)', () => {
  it('build(A ∪ B) then removing B equals build(A)', () => {
    fc.assert(
      fc.property(interactionsOf(A), interactionsOf(B), fc.boolean(), (a, b, bFirst) => {
        const both = buildModels(catalog, bFirst ? [...b, ...a] : [...a, ...b]);
        for (const s of B) both.removeSubject(s);
        expect(both.fingerprint()).toBe(buildModels(catalog, a).fingerprint());
      }),
      { numRuns: 300 },
    );
  });

  it('adding B incrementally and removing it again restores the model', () => {
    fc.assert(
      fc.property(interactionsOf(A), interactionsOf(B), (a, b) => {
        const models = buildModels(catalog, a);
        const before = models.fingerprint();
        models.add(b);
        if (b.some((i) => i.type !== 'remove_from_cart')) expect(models.fingerprint()).not.toBe(before);
        for (const s of B) models.removeSubject(s);
        expect(models.fingerprint()).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['sparse rows', { easeMaxItems: 0 }],
    ['EASE', { easeMaxItems: 4000 }],
  ] as const)(
    'after erasure and refresh, answers equal those of a model built without the subject (%s)',
    (kind, options) => {
      const others = shopHistory();
      const erased = [
        ev('erased', 'e1', 'vase', 'purchase', NOW - 2 * DAY),
        ev('erased', 'e1', 'kettle', 'purchase', NOW - 2 * DAY),
        ev('erased', 'e2', 'vase', 'view', NOW - DAY),
        ev('erased', 'e2', 'candle', 'view', NOW - DAY + 1000),
      ];
      const models = buildModels(catalog, [...others, ...erased], options);
      const view = viewOf(
        'anna',
        2,
        [ev('anna', 'now', 'vase', 'view', NOW - 1000)],
        [ev('anna', 'old', 'vase', 'purchase', NOW - 9 * DAY)],
      );
      const ask = (m: typeof models) =>
        (['for_you', 'bought_together', 'similar', 'trending'] as const).map((scenario) =>
          recommend(m, { scenario, view, itemId: 'vase', limit: 5, now: NOW }).items.map((r) => r.id),
        );
      const withSubject = ask(models);
      const receipt = models.removeSubject('erased');
      expect(receipt).toEqual({ subject: 'erased', sessions: 2, interactions: 4 });
      expect(models.stats().derivedStale).toBe(true);
      if (kind === 'EASE') {
        // EASE depends on every buyer: it is gone with the subject, its top-K lists included.
        expect(models.derived).toBeNull();
      } else {
        // Sparse rows: those of the items the subject bought are dropped, the others stay.
        const row = (id: string) => models.derived!.hasRow(models.items.idx(id)!);
        expect([row('vase'), row('kettle'), row('teapot')]).toEqual([false, false, true]);
        expect(models.holdsSubject('erased')).toBe(false);
      }
      models.refresh();
      const rebuilt = buildModels(catalog, others, options);
      expect(servedRows(models)).toEqual(servedRows(rebuilt));
      expect(ask(models)).toEqual(ask(rebuilt));
      expect(ask(models)).not.toEqual(withSubject);
    },
  );

  it('R4: sparse derived rows: after removing subjects every row still served equals a build without them', () => {
    fc.assert(
      fc.property(purchasesOf(A), purchasesOf(B), fc.boolean(), (a, b, bFirst) => {
        const options = { easeMaxItems: 0, cfMinBuyers: 1 };
        const both = buildModels(catalog, bFirst ? [...b, ...a] : [...a, ...b], options);
        for (const s of B) both.removeSubject(s);
        const rebuilt = buildModels(catalog, a, options);
        const served = servedRows(both) ?? [];
        const fresh = new Map((servedRows(rebuilt) ?? []).map((r) => [r[0], r]));
        for (const row of served) expect(row).toEqual(fresh.get(row[0]));
        for (const s of B) expect(both.holdsSubject(s)).toBe(false);
        both.refresh();
        expect(servedRows(both)).toEqual(servedRows(rebuilt));
      }),
      { numRuns: 300 },
    );
  });

  it('R4: sparse derived rows: removing single purchases leaves no row that depends on them', () => {
    fc.assert(
      fc.property(purchasesOf(A), purchasesOf(A), (kept, dropped) => {
        const options = { easeMaxItems: 0, cfMinBuyers: 1 };
        const models = buildModels(catalog, [...kept, ...dropped], options);
        models.removeInteractions(dropped);
        const rebuilt = buildModels(catalog, kept, options);
        const fresh = new Map((servedRows(rebuilt) ?? []).map((r) => [r[0], r]));
        for (const row of servedRows(models) ?? []) expect(row).toEqual(fresh.get(row[0]));
      }),
      { numRuns: 300 },
    );
  });

  it('cycles stay exact: precomputed with the derived model, recomputed for items whose purchases changed', () => {
    fc.assert(
      fc.property(purchasesOf(A), purchasesOf(B), (a, b) => {
        const models = buildModels(catalog, a);
        const cycles = (m: Models) =>
          ITEMS.map((id) => {
            const i = m.items.idx(id);
            // An id interned once stays interned (it carries no data): unknown means never bought.
            if (i === undefined) return [0, 0, []];
            const c = m.itemCycle(i);
            return [c.buyers, c.repeaters, [...c.gaps]];
          });
        cycles(models);
        models.add(b);
        expect(cycles(models)).toEqual(cycles(buildModels(catalog, [...a, ...b])));
        for (const s of B) models.removeSubject(s);
        expect(cycles(models)).toEqual(cycles(buildModels(catalog, a)));
      }),
      { numRuns: 200 },
    );
  });

  it('a refresh built elsewhere (prepare, build, complete) equals refresh(), and is refused after an erasure', () => {
    const others = shopHistory();
    const erased = [
      ev('erased', 'e1', 'vase', 'purchase', NOW - 2 * DAY),
      ev('erased', 'e1', 'kettle', 'purchase', NOW - 2 * DAY),
    ];
    for (const options of [{}, { easeMaxItems: 0 }]) {
      const direct = buildModels(catalog, [...others, ...erased], options);
      const split = buildModels(catalog, [...others, ...erased], options);
      const job = split.prepareRefresh();
      expect(split.completeRefresh(job, buildDerived(job.input))).toBe(true);
      expect(servedRows(split)).toEqual(servedRows(direct));
      expect(split.stats().derivedStale).toBe(false);

      // An erasure between prepare and complete: the built weights would carry the subject back.
      const late = split.prepareRefresh();
      const data = buildDerived(late.input);
      split.removeSubject('erased');
      expect(split.completeRefresh(late, data)).toBe(false);
      expect(split.holdsSubject('erased')).toBe(false);
      expect(split.stats().derivedStale).toBe(true);
    }
  });
  it('R4: removing single interactions (retention, correction) equals a build without them, digest included', () => {
    fc.assert(
      fc.property(interactionsOf(A), interactionsOf(A), fc.boolean(), (kept, dropped, keptFirst) => {
        const models = buildModels(catalog, keptFirst ? [...kept, ...dropped] : [...dropped, ...kept]);
        models.removeInteractions(dropped);
        const rebuilt = buildModels(catalog, kept);
        expect(models.fingerprint()).toBe(rebuilt.fingerprint());
        expect(models.digest()).toBe(rebuilt.digest());
        expect(models.stats().events).toBe(rebuilt.stats().events);
        expect(models.stats().sessions).toBe(rebuilt.stats().sessions);
      }),
      { numRuns: 300 },
    );
  });

  it('R4: interactions never learned are skipped by removeInteractions', () => {
    const models = buildModels(catalog, shopHistory());
    const before = models.fingerprint();
    const digest = models.digest();
    expect(
      models.removeInteractions([
        ev('stranger', 's1', 'vase', 'view', NOW),
        ev('anna', 'nope', 'vase', 'view', NOW),
        ev('x', 'y', 'not-an-item', 'view', NOW),
      ]),
    ).toBe(0);
    expect(models.fingerprint()).toBe(before);
    expect(models.digest()).toBe(digest);
  });

  it('R4: the digest names the multiset of learned interactions, whatever the order, and follows removals', () => {
    fc.assert(
      fc.property(interactionsOf(A), interactionsOf(B), (a, b) => {
        const both = buildModels(catalog, [...a, ...b]);
        expect(buildModels(catalog, [...b, ...a]).digest()).toBe(both.digest());
        for (const s of B) both.removeSubject(s);
        expect(both.digest()).toBe(buildModels(catalog, a).digest());
      }),
      { numRuns: 200 },
    );
  });

  it('R4: an erased subject leaves no trace in the subject index, the session keys or the derived weights', () => {
    const erased = [
      ev('sub_gone', 'e1', 'vase', 'purchase', NOW - 2 * DAY),
      ev('sub_gone', 'e1', 'kettle', 'purchase', NOW - 2 * DAY),
      ev('sub_gone', 'e2', 'candle', 'view', NOW - DAY),
    ];
    const models = buildModels(catalog, [...shopHistory(), ...erased]);
    expect(models.holdsSubject('sub_gone')).toBe(true);
    expect(models.contribution('sub_gone')).toEqual({ sessions: 2, interactions: 3, inDerivedWeights: true });
    models.removeSubject('sub_gone');
    expect(models.holdsSubject('sub_gone')).toBe(false);
    expect(models.contribution('sub_gone')).toEqual({
      sessions: 0,
      interactions: 0,
      inDerivedWeights: false,
    });
    expect(models.sessions.subjects).not.toContain('sub_gone');
    expect(models.sessions.keys.some((k) => k.startsWith('sub_gone'))).toBe(false);
    // Single removals that empty every session of a subject take it out of the index as well.
    const again = buildModels(catalog, [...shopHistory(), ...erased]);
    again.removeInteractions(erased);
    expect(again.holdsSubject('sub_gone')).toBe(false);
  });
  it('R4: events of one millisecond take a canonical place: learned one by one in any order equals a rebuild', () => {
    const sameTime = fc.array(
      fc.record({
        subject: fc.constantFrom('a1', 'a2'),
        session: fc.constantFrom('s1', 's2'),
        item: fc.constantFrom(...ITEMS),
        type: fc.constantFrom('view', 'add_to_cart', 'purchase' as const),
        ts: fc.constantFrom(NOW, NOW + 1),
        quantity: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        category: fc.constant('browsing'),
      }) as fc.Arbitrary<Interaction>,
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(sameTime, fc.func(fc.integer()), (events, order) => {
        const shuffled = [...events].sort((x, y) => order(x) - order(y));
        const incremental = buildModels(catalog, []);
        for (const e of shuffled) incremental.add([e]);
        expect(incremental.fingerprint()).toBe(buildModels(catalog, events).fingerprint());
      }),
      { numRuns: 200 },
    );
  });
});
