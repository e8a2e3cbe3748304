import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModels, easeWeights, type Interaction, recommend } from '../src/index';
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

  it('after erasure and refresh, answers equal those of a model built without the subject', () => {
    const others = shopHistory();
    const erased = [
      ev('erased', 'e1', 'vase', 'purchase', NOW - 2 * DAY),
      ev('erased', 'e1', 'kettle', 'purchase', NOW - 2 * DAY),
      ev('erased', 'e2', 'vase', 'view', NOW - DAY),
      ev('erased', 'e2', 'candle', 'view', NOW - DAY + 1000),
    ];
    const models = buildModels(catalog, [...others, ...erased]);
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
    expect(models.stats().easeStale).toBe(true);
    // The derived EASE model, its sparse top-K neighbour lists included, is gone with the subject.
    expect(models.ease).toBeNull();
    models.refresh();
    const rebuilt = buildModels(catalog, others);
    const sparse = (m: typeof models) => {
      const e = m.ease!;
      const ids = m.items.ids;
      return [...e.items].map((item, r) => [
        ids[item],
        [...e.nbrCol.subarray(e.nbrStart[r]!, e.nbrStart[r + 1]!)].map((c) => ids[e.items[c]!]),
        [...e.nbrW.subarray(e.nbrStart[r]!, e.nbrStart[r + 1]!)],
      ]);
    };
    expect(sparse(models)).toEqual(sparse(rebuilt));
    expect(ask(models)).toEqual(ask(rebuilt));
    expect(ask(models)).not.toEqual(withSubject);
  });

  it('a refresh solved elsewhere (prepare, solve, complete) equals refresh(), and is refused after an erasure', () => {
    const others = shopHistory();
    const erased = [
      ev('erased', 'e1', 'vase', 'purchase', NOW - 2 * DAY),
      ev('erased', 'e1', 'kettle', 'purchase', NOW - 2 * DAY),
    ];
    const direct = buildModels(catalog, [...others, ...erased]);
    const split = buildModels(catalog, [...others, ...erased]);
    const job = split.prepareRefresh()!;
    split.completeRefresh(job, easeWeights(job.input.gram, job.input.n, job.input.lambda));
    expect(split.ease?.nbrW).toEqual(direct.ease?.nbrW);
    expect(split.stats().easeStale).toBe(false);

    // An erasure between prepare and complete: the solved weights would carry the subject back.
    const late = split.prepareRefresh()!;
    const weights = easeWeights(late.input.gram, late.input.n, late.input.lambda);
    split.removeSubject('erased');
    expect(split.completeRefresh(late, weights)).toBe(false);
    expect(split.ease).toBeNull();
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
