import { describe, expect, it } from 'vitest';
import { buildModels, predict, type RecommendRequest, recommend } from '../src/index';
import { catalog, DAY, ev, NOW, shopHistory, teaBuyers, viewOf } from './fixture';

const models = buildModels(catalog, shopHistory());
const ask = (req: Partial<RecommendRequest>) =>
  recommend(models, { scenario: 'for_you', view: viewOf('anna', 0), limit: 5, now: NOW, ...req });
const ids = (req: Partial<RecommendRequest>) => ask(req).items.map((r) => r.id);

describe('similar items', () => {
  it('returns items seen together with the page item, never the page item itself', () => {
    const got = ids({ scenario: 'similar', itemId: 'teapot', limit: 2 });
    expect(got.sort()).toEqual(['cups', 'tea']);
  });

  it('explains itself with a non-personal reason at level 0', () => {
    const [first] = ask({ scenario: 'similar', itemId: 'teapot', limit: 1 }).items;
    expect(first?.reasons[0]).toMatchObject({
      kind: 'similar_to_current',
      category: null,
      purpose: null,
      evidence: { items: ['teapot'] },
    });
  });
});

describe('filters', () => {
  it('keeps only the category path prefix', () => {
    const got = ids({ scenario: 'trending', filters: { category: ['Küche', 'Kaffee'] }, limit: 10 });
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((id) => ['mug', 'coffee', 'grinder'].includes(id))).toBe(true);
  });

  it('applies the price range, the stock flag and excluded ids', () => {
    const got = ids({
      scenario: 'similar',
      itemId: 'teapot',
      filters: { minPrice: 5, maxPrice: 30, inStock: true, exclude: ['tea'] },
      limit: 10,
    });
    expect(got).toContain('cups');
    expect(got).not.toContain('tea'); // excluded
    expect(got).not.toContain('strainer'); // out of stock
    expect(got).not.toContain('kettle'); // too expensive
  });

  it('never lets items outside the catalog pass a catalog filter', () => {
    const m = buildModels(catalog, [...shopHistory(), ev('x', 'x', 'ghost', 'view', NOW - DAY)]);
    const all = recommend(m, { scenario: 'trending', view: viewOf('a', 0), limit: 20, now: NOW });
    expect(all.items.map((r) => r.id)).toContain('ghost');
    const filtered = recommend(m, {
      scenario: 'trending',
      view: viewOf('a', 0),
      limit: 20,
      now: NOW,
      filters: { maxPrice: 1000 },
    });
    expect(filtered.items.map((r) => r.id)).not.toContain('ghost');
  });
});

describe('trending', () => {
  it('ranks recent popularity first (time decay at query time)', () => {
    expect(ids({ scenario: 'trending', limit: 1 })).toEqual(['candle']);
    // Undecayed, the steady tea sellers lead; before the candle burst they are on top.
    expect(ids({ scenario: 'trending', limit: 1, now: NOW - 3 * DAY })).not.toEqual(['candle']);
  });

  it('is what level-0 for_you shows, with a popular_now reason', () => {
    const res = ask({ scenario: 'for_you', limit: 3 });
    expect(res.items.map((r) => r.id)).toEqual(ids({ scenario: 'trending', limit: 3 }));
    expect(res.items[0]?.reasons).toEqual([
      { kind: 'popular_now', category: null, purpose: null, evidence: { items: [], times: [] }, weight: 1 },
    ]);
  });
});

describe('for you', () => {
  const session = [ev('anna', 'now', 'coffee', 'view', NOW - 60_000)];

  it('follows the current session at level 1 and says which session item led to it', () => {
    const res = ask({ view: viewOf('anna', 1, session), limit: 3 });
    expect(res.level).toBe(1);
    const grinder = res.items.find((r) => r.id === 'grinder');
    expect(grinder?.reasons[0]).toEqual(
      expect.objectContaining({
        kind: 'viewed_in_session',
        category: 'browsing',
        purpose: 'personalisation_session',
        evidence: { items: ['coffee'], times: [NOW - 60_000] },
      }),
    );
  });

  it('changes at once when the session gets a new event (real time)', () => {
    const before = ids({ view: viewOf('anna', 1, session), limit: 4 });
    const after = ids({
      view: viewOf('anna', 1, [...session, ev('anna', 'now', 'teapot', 'view', NOW - 1000)]),
      limit: 4,
    });
    expect(before).not.toContain('cups');
    expect(after).toContain('cups');
  });

  it('brings back items bought before at level 2 when their cycle is due, with the purchase as evidence', () => {
    // Tea is bought again every 20 to 40 days by others (repurchase.test.ts: when it is not due).
    const m = buildModels(catalog, [...shopHistory(), ...teaBuyers()]);
    const history = [ev('anna', 'old', 'tea', 'purchase', NOW - 30 * DAY)];
    const res = recommend(m, {
      scenario: 'for_you',
      view: viewOf('anna', 2, [], history),
      limit: 5,
      now: NOW,
    });
    const tea = res.items.find((r) => r.id === 'tea');
    expect(tea?.reasons).toContainEqual(
      expect.objectContaining({
        kind: 'bought_before',
        category: 'purchases',
        purpose: 'personalisation_history',
        evidence: { items: ['tea'], times: [NOW - 30 * DAY] },
      }),
    );
  });

  it('learns new interactions incrementally (models.add)', () => {
    const m = buildModels(catalog, shopHistory());
    const view = viewOf('anna', 1, [ev('anna', 'now', 'vase', 'view', NOW - 1000)]);
    const before = recommend(m, { scenario: 'for_you', view, limit: 2, now: NOW });
    expect(before.items.map((r) => r.id)).not.toContain('kettle');
    m.add([ev('bob', 'b1', 'vase', 'view', NOW - 5000), ev('bob', 'b1', 'kettle', 'view', NOW - 4000)]);
    const after = recommend(m, { scenario: 'for_you', view, limit: 2, now: NOW });
    expect(after.items.map((r) => r.id)).toContain('kettle');
  });
});

describe('bought together', () => {
  it('returns items bought in the same baskets as the page item', () => {
    expect(ids({ scenario: 'bought_together', itemId: 'coffee', limit: 1 })).toEqual(['grinder']);
  });

  it('uses the cart at level 1 and names the cart item', () => {
    const cart = [ev('anna', 'now', 'teapot', 'add_to_cart', NOW - 1000)];
    const res = ask({ scenario: 'bought_together', view: viewOf('anna', 1, cart), limit: 1 });
    expect(res.items[0]).toMatchObject({
      id: 'cups',
      reasons: [{ kind: 'bought_together_with', category: 'cart', evidence: { items: ['teapot'] } }],
    });
  });
});

describe('rank', () => {
  it('returns exactly the given items, unknown ids last in their order', () => {
    const items = ['vase', 'nope-1', 'grinder', 'mug', 'nope-2'];
    const session = [ev('anna', 'now', 'coffee', 'view', NOW - 1000)];
    const got = ids({ scenario: 'rank', items, view: viewOf('anna', 1, session), limit: 2 });
    expect(got).toHaveLength(items.length);
    expect([...got].sort()).toEqual([...items].sort());
    expect(got.slice(-2)).toEqual(['nope-1', 'nope-2']);
    expect(got.indexOf('grinder')).toBeLessThan(got.indexOf('vase'));
  });

  it('gives every item at least one reason: personal, popular now, or "shop_order" when nothing applies', () => {
    // 'vase' was never seen by anyone: no popularity; 'nope-1' is unknown to the models.
    const items = ['vase', 'nope-1', 'grinder', 'candle'];
    const session = [ev('anna', 'now', 'coffee', 'view', NOW - 1000)];
    for (const level of [0, 1, 2, 3] as const) {
      const res = ask({ scenario: 'rank', items, view: viewOf('anna', level, session), limit: 4 });
      for (const r of res.items) expect(r.reasons.length, `level ${level} ${r.id}`).toBeGreaterThan(0);
      const byId = new Map(res.items.map((r) => [r.id, r]));
      const none = { kind: 'shop_order', category: null, purpose: null, evidence: { items: [], times: [] } };
      expect(byId.get('vase')).toMatchObject({ score: 0, reasons: [none] });
      expect(byId.get('nope-1')).toMatchObject({ score: 0, reasons: [none] });
      expect(byId.get('candle')?.reasons[0]?.kind).toBe('popular_now');
      expect(byId.get('grinder')?.reasons[0]?.kind).toBe(level === 0 ? 'popular_now' : 'viewed_in_session');
    }
  });
});

describe('next best offer', () => {
  it('offers a complement of the cart, never what is already in it', () => {
    const cart = [ev('anna', 'now', 'coffee', 'add_to_cart', NOW - 1000)];
    const got = ids({ scenario: 'next_best_offer', view: viewOf('anna', 1, cart), limit: 3 });
    expect(got[0]).toBe('grinder');
    expect(got).not.toContain('coffee');
  });
});

describe('predictions', () => {
  const history = [
    ev('anna', 'o1', 'tea', 'purchase', NOW - 70 * DAY),
    ev('anna', 'o2', 'tea', 'purchase', NOW - 40 * DAY),
    ev('anna', 'o3', 'tea', 'purchase', NOW - 10 * DAY),
  ];

  it('are empty below level 3', () => {
    expect(predict(models, viewOf('anna', 2, [], history), NOW)).toEqual([]);
  });

  it('give a repurchase probability with its inputs at level 3', () => {
    const preds = predict(models, viewOf('anna', 3, [ev('anna', 'now', 'cups', 'view', NOW)], history), NOW);
    const tea = preds.find((p) => p.kind === 'repurchase' && p.item === 'tea');
    expect(tea?.probability).toBeGreaterThan(0.5);
    expect(tea?.inputs[0]).toMatchObject({
      kind: 'bought',
      category: 'purchases',
      items: ['tea', 'tea', 'tea'],
      times: history.map((h) => h.ts),
    });
    expect(preds.some((p) => p.kind === 'next_category' && p.category.join('/') === 'Küche/Tee')).toBe(true);
    expect(preds.some((p) => p.kind === 'purchase_propensity')).toBe(true);
  });
});
