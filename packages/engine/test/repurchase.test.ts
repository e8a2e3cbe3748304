import { describe, expect, it } from 'vitest';
import { buildModels, predict, type RecommendRequest, recommend } from '../src/index';
import { catalog, DAY, ev, NOW, shopHistory, teaBuyers, viewOf } from './fixture';

// The shop: six customers bought the teapot once and never again (a durable good).
const models = buildModels(catalog, [...shopHistory(), ...teaBuyers()]);
const ask = (req: Partial<RecommendRequest>) =>
  recommend(models, { scenario: 'for_you', view: viewOf('anna', 0), limit: 10, now: NOW, ...req });
/** The item is in the list, or some reason offers it as a repurchase. */
const suggestsAgain = (res: ReturnType<typeof ask>, id: string) =>
  res.items.some(
    (r) =>
      r.id === id ||
      r.reasons.some(
        (x) =>
          (x.kind === 'bought_before' || x.kind === 'predicted_repurchase') && x.evidence.items.includes(id),
      ),
  );

describe('durable goods are not suggested again', () => {
  it('a teapot bought seconds ago does not come back, at any level, in the session or the history', () => {
    const bought = ev('anna', 'now', 'teapot', 'purchase', NOW - 5000);
    for (const level of [1, 2, 3] as const) {
      expect(
        suggestsAgain(ask({ view: viewOf('anna', level, [bought]) }), 'teapot'),
        `session, level ${level}`,
      ).toBe(false);
    }
    for (const level of [2, 3] as const) {
      const res = ask({ view: viewOf('anna', level, [], [bought]) });
      expect(suggestsAgain(res, 'teapot'), `history, level ${level}`).toBe(false);
      // What goes with it still comes: the cups, because of the teapot purchase.
      expect(res.items.find((r) => r.id === 'cups')?.reasons[0]?.evidence.items).toContain('teapot');
    }
  });

  it('nor as an offer or a similar item right after the purchase (next_best_offer, similar)', () => {
    const bought = ev('anna', 'now', 'teapot', 'purchase', NOW - 5000);
    for (const level of [1, 2] as const) {
      const offer = ask({ scenario: 'next_best_offer', view: viewOf('anna', level, [bought]) });
      expect(suggestsAgain(offer, 'teapot'), `offer, level ${level}`).toBe(false);
      const similar = ask({ scenario: 'similar', itemId: 'cups', view: viewOf('anna', level, [bought]) });
      expect(
        similar.items.map((r) => r.id),
        `similar, level ${level}`,
      ).not.toContain('teapot');
    }
  });

  it('nor months later: nobody ever bought the teapot twice', () => {
    const old = ev('anna', 'o1', 'teapot', 'purchase', NOW - 200 * DAY);
    expect(suggestsAgain(ask({ view: viewOf('anna', 3, [], [old]) }), 'teapot')).toBe(false);
  });

  it('an item with a single buyer and no repurchase is not due either (smoothing for few buyers)', () => {
    const m = buildModels(catalog, [...shopHistory(), ev('z', 'z1', 'kettle', 'purchase', NOW - 90 * DAY)]);
    const view = viewOf('anna', 3, [], [ev('anna', 'o1', 'kettle', 'purchase', NOW - 60 * DAY)]);
    const res = recommend(m, { scenario: 'for_you', view, limit: 10, now: NOW });
    expect(suggestsAgain(res, 'kettle')).toBe(false);
  });
});

describe('consumables come back when their cycle is due', () => {
  it('tea bought a month ago comes back with its purchase as the reason (level 2) and the prediction (level 3)', () => {
    const history = [ev('anna', 'o1', 'tea', 'purchase', NOW - 30 * DAY)];
    const l2 = ask({ view: viewOf('anna', 2, [], history) }).items.find((r) => r.id === 'tea');
    expect(l2?.reasons.map((r) => r.kind)).toContain('bought_before');
    const l3 = ask({ view: viewOf('anna', 3, [], history) }).items.find((r) => r.id === 'tea');
    expect(l3?.reasons.map((r) => r.kind)).toContain('predicted_repurchase');
  });

  it('an item re-bought after about a year is not due a week after the purchase, and is after eleven months', () => {
    // Five customers bought the vase twice, 330 to 370 days apart.
    const vases = [0, 1, 2, 3, 4].flatMap((u) => [
      ev(`v${u}`, `v${u}-1`, 'vase', 'purchase', NOW - (400 + 10 * u) * DAY),
      ev(`v${u}`, `v${u}-2`, 'vase', 'purchase', NOW - (70 - 10 * u) * DAY),
    ]);
    const m = buildModels(catalog, [...shopHistory(), ...vases]);
    const at = (daysAgo: number) => {
      const view = viewOf('anna', 3, [], [ev('anna', 'o1', 'vase', 'purchase', NOW - daysAgo * DAY)]);
      return recommend(m, { scenario: 'for_you', view, limit: 10, now: NOW });
    };
    expect(suggestsAgain(at(7), 'vase')).toBe(false);
    expect(
      at(340)
        .items.find((r) => r.id === 'vase')
        ?.reasons.map((r) => r.kind),
    ).toContain('predicted_repurchase');
    // The prediction itself is still listed for the recent purchase (worded by its size).
    const view = viewOf('anna', 3, [], [ev('anna', 'o1', 'vase', 'purchase', NOW - 7 * DAY)]);
    const p = predict(m, view, NOW).find((x) => x.kind === 'repurchase');
    expect(p?.probability).toBe(0);
  });
});
