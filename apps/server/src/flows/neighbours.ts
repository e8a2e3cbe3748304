import type { NeighboursResponse } from '@vitrine/contracts';
import { type Models, recommend, type SubjectView } from '@vitrine/engine';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';

/** Items in a table and neighbours per item: a few hundred KB at most for a large catalog. */
export const NEIGHBOUR_TABLE = { maxItems: 2000, perItem: 10, maxAgeMs: 5 * 60_000 } as const;

const NOBODY: SubjectView = {
  subject: 'anonymous',
  level: 0,
  allowedCategories: new Set(),
  purposeOf: {},
  session: [],
  history: [],
  predictions: false,
};

const cache = new WeakMap<Models, { version: number; at: number; table: NeighboursResponse }>();

/**
 * The item-neighbour table the SDK's on-device mode ranks a visit with (level 1, nothing of the
 * visit leaves the browser). It holds nothing about any person: per catalog item, exactly what
 * `GET /v1/recommendations?scenario=similar&item_id=…` answers anyone at level 0, with scores.
 * Recomputed when the models changed and the table is older than `maxAgeMs`.
 */
export function neighbourTable(deps: Deps, rt: ShopRuntime): NeighboursResponse {
  const now = deps.clock.now();
  const models = rt.models;
  const hit = cache.get(models);
  if (hit && (hit.version === models.version || now - hit.at < NEIGHBOUR_TABLE.maxAgeMs)) return hit.table;
  const { ranked } = models.popularity.trending(now, models.options.trendingHalfLifeDays, models.items.ids);
  const popular = Array.from(ranked, (i) => models.items.ids[i]!).filter((id) => rt.catalog.has(id));
  const seen = new Set(popular);
  const rest = [...rt.catalog.keys()].filter((id) => !seen.has(id)).sort();
  const items = [...popular, ...rest].slice(0, NEIGHBOUR_TABLE.maxItems);
  const neighbours: NeighboursResponse['neighbours'] = {};
  for (const id of items) {
    const r = recommend(models, {
      scenario: 'similar',
      view: NOBODY,
      itemId: id,
      filters: {},
      limit: NEIGHBOUR_TABLE.perItem,
      now,
    });
    // Only items that go with this one; the popular fill-up says nothing about the pair.
    const list = r.items
      .filter((x) => x.reasons.some((reason) => reason.kind === 'similar_to_current'))
      .map((x): [string, number] => [x.id, Math.round(x.score * 1e4) / 1e4]);
    if (list.length > 0) neighbours[id] = list;
  }
  const table = { items, neighbours, generated_at: new Date(now).toISOString() };
  cache.set(models, { version: models.version, at: now, table });
  return table;
}
