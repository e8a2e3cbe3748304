import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildModels,
  type Interaction,
  type Level,
  predict,
  recommend,
  type Scenario,
  type SubjectView,
} from '../src/index';
import { catalog, DAY, NOW, PURPOSES, shopHistory } from './fixture';

const models = buildModels(catalog, shopHistory());
const ITEMS = [...catalog.map((c) => c.id), 'unknown-item'];
const CATEGORIES = ['browsing', 'cart', 'purchases', 'location', 'marketing'];
const SCENARIOS: Scenario[] = [
  'similar',
  'bought_together',
  'trending',
  'for_you',
  'rank',
  'next_best_offer',
];

const interaction = (category: fc.Arbitrary<string>) =>
  fc.record({
    subject: fc.constant('subject'),
    session: fc.constantFrom('now', 'old-1', 'old-2'),
    item: fc.constantFrom(...ITEMS),
    type: fc.constantFrom('view', 'add_to_cart', 'remove_from_cart', 'purchase', 'search' as const),
    ts: fc.integer({ min: NOW - 90 * DAY, max: NOW }),
    category,
  }) as fc.Arbitrary<Interaction>;

const request = fc.record({
  scenario: fc.constantFrom(...SCENARIOS),
  itemId: fc.option(fc.constantFrom(...ITEMS), { nil: undefined }),
  items: fc.shuffledSubarray(ITEMS),
  limit: fc.integer({ min: 1, max: 8 }),
  level: fc.constantFrom<Level>(0, 1, 2, 3),
  allowed: fc.subarray(CATEGORIES),
});

const view = (
  subject: string,
  level: Level,
  allowed: readonly string[],
  session: Interaction[],
  history: Interaction[],
): SubjectView => ({
  subject,
  level,
  allowedCategories: new Set(allowed),
  purposeOf: PURPOSES,
  session,
  history,
  predictions: level === 3,
});

type Req = { scenario: Scenario; itemId: string | undefined; items: string[]; limit: number };

const answer = (r: Req, v: SubjectView) => ({
  rec: recommend(models, {
    scenario: r.scenario,
    view: v,
    itemId: r.itemId,
    items: r.items,
    limit: r.limit,
    now: NOW,
  }),
  pred: predict(models, v, NOW),
});

describe('consent scoping (property)', () => {
  it('changing data outside the allowed categories never changes the answer', () => {
    fc.assert(
      fc.property(
        request,
        fc.array(interaction(fc.constantFrom(...CATEGORIES)), { maxLength: 12 }),
        fc.array(interaction(fc.constantFrom(...CATEGORIES)), { maxLength: 12 }),
        (r, a, b) => {
          const allowed = new Set(r.allowed);
          // b keeps a's allowed interactions and replaces everything else.
          const kept = a.filter((i) => allowed.has(i.category));
          const other = [...kept, ...b.filter((i) => !allowed.has(i.category))];
          const inSession = (xs: Interaction[]) => xs.filter((i) => i.session === 'now');
          const inHistory = (xs: Interaction[]) => xs.filter((i) => i.session !== 'now');
          const va = view('subject', r.level, r.allowed, inSession(a), inHistory(a));
          const vb = view('subject', r.level, r.allowed, inSession(other), inHistory(other));
          expect(answer(r, vb)).toEqual(answer(r, va));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('data beyond the level never changes the answer, even if a flow passes it', () => {
    fc.assert(
      fc.property(
        request,
        fc.array(interaction(fc.constantFrom(...CATEGORIES)), { maxLength: 12 }),
        (r, a) => {
          const session = a.filter((i) => i.session === 'now');
          const history = a.filter((i) => i.session !== 'now');
          const full = view('subject', r.level, r.allowed, session, history);
          const scoped = view(
            'subject',
            r.level,
            r.allowed,
            r.level >= 1 ? session : [],
            r.level >= 2 ? history : [],
          );
          scoped.predictions = r.level >= 3;
          full.predictions = true;
          expect(answer(r, full)).toEqual(answer(r, scoped));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('at level 0 every subject gets the same answer for the same page', () => {
    fc.assert(
      fc.property(
        request,
        fc.array(interaction(fc.constantFrom(...CATEGORIES)), { maxLength: 12 }),
        fc.array(interaction(fc.constantFrom(...CATEGORIES)), { maxLength: 12 }),
        (r, a, b) => {
          const va = view('alice', 0, r.allowed, a, a);
          const vb = view('bob', 0, CATEGORIES, b, b);
          const ra = answer(r, va);
          expect(answer(r, vb)).toEqual(ra);
          expect(ra.pred).toEqual([]);
          for (const item of ra.rec.items)
            for (const reason of item.reasons) expect(reason.category).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
