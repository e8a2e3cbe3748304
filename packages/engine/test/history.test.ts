import { describe, expect, it } from 'vitest';
import { buildModels, type CatalogItem, type Interaction, recommend, type SubjectView } from '../src/index';
import { DAY, ev, NOW } from './fixture';

const catalog: CatalogItem[] = ['a', 'b', 'x', 'y'].map((id) => ({
  id,
  title: id,
  categoryPath: [],
  price: 1,
  available: true,
}));

/** Mirror-image shoppers: six buy a with x, six buy b with y (so a's row equals b's). */
function shop(): Interaction[] {
  const out: Interaction[] = [];
  for (let u = 0; u < 6; u++) {
    const t = NOW - 40 * DAY + u * DAY;
    out.push(ev(`p${u}`, `p${u}`, 'a', 'purchase', t), ev(`p${u}`, `p${u}`, 'x', 'purchase', t));
    out.push(ev(`q${u}`, `q${u}`, 'b', 'purchase', t), ev(`q${u}`, `q${u}`, 'y', 'purchase', t));
  }
  return out;
}

/** A customer who bought a on three days and b on one day. */
const view: SubjectView = {
  subject: 'me',
  level: 2,
  allowedCategories: new Set(['purchases']),
  purposeOf: { purchases: 'personalisation_history' },
  session: [],
  history: [
    ev('me', 'm1', 'a', 'purchase', NOW - 30 * DAY),
    ev('me', 'm2', 'a', 'purchase', NOW - 20 * DAY),
    ev('me', 'm3', 'a', 'purchase', NOW - 10 * DAY),
    ev('me', 'm3', 'b', 'purchase', NOW - 10 * DAY),
  ],
  predictions: false,
};

function scores(options: Record<string, number>): Map<string, number> {
  const models = buildModels(catalog, shop(), { easeMaxItems: 0, weightTrending: 0, ...options });
  const res = recommend(models, { scenario: 'for_you', view, limit: 4, now: NOW });
  return new Map(res.items.map((r) => [r.id, r.score]));
}

describe('history: what goes with what you bought', () => {
  it('weighs a bought item by its purchase days (cfDayExponent 1): x, with a, above y, with b', () => {
    const s = scores({});
    expect(s.get('x')!).toBeGreaterThan(s.get('y')!);
  });

  it('weighs every bought item alike with cfDayExponent 0', () => {
    const s = scores({ cfDayExponent: 0 });
    expect(s.get('x')).toBe(s.get('y'));
  });
});
