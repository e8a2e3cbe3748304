import { itemCycle, repurchaseProbability } from './models/cycles';
import type { Models } from './models/models';
import { DAY_MS } from './models/popularity';
import { cartOf, scopeOf } from './scope';
import { purchasesOf } from './score/history';
import type { Prediction, PredictionInput, SubjectView } from './types';

/** Recency decay (days) of the events behind the next-category prediction. */
const CATEGORY_DECAY_DAYS = 14;

/**
 * Level-3 predictions about the subject, each with the inputs it used. Returns [] below level 3 or
 * when predictions are not allowed.
 */
export function predict(models: Models, view: SubjectView, now: number): Prediction[] {
  const scope = scopeOf(models, view);
  if (!scope.predictions) return [];
  const out: Prediction[] = [];
  const horizon = models.options.horizonDays;
  const today = Math.floor(now / DAY_MS);

  // Repurchase within the horizon, per item bought.
  const bought = purchasesOf(scope);
  const repurchases: Prediction[] = [];
  for (const item of bought.items) {
    const days = bought.days.get(item)!;
    const cycle = itemCycle(models, item);
    const probability = repurchaseProbability(cycle, days, today, horizon);
    const id = models.items.ids[item]!;
    const own = scope.events.filter((e) => e.item === item && e.type === 'purchase');
    repurchases.push({
      kind: 'repurchase',
      item: id,
      probability,
      horizonDays: horizon,
      inputs: [
        {
          category: own[0]?.category ?? null,
          description: 'your purchases of this item',
          items: [id],
          times: own.map((e) => e.ts),
        },
        {
          category: null,
          description: `repurchase intervals of all ${cycle.buyers} buyers of this item (aggregate)`,
          items: [id],
          times: [],
        },
      ],
    });
  }
  repurchases.sort((a, b) => b.probability - a.probability);
  out.push(...repurchases);

  // Next category: recency-weighted share of the catalog categories of the subject's events.
  const weights = new Map<string, { path: string[]; w: number; input: PredictionInput }>();
  let sum = 0;
  for (const ev of scope.events) {
    if (ev.item < 0 || !models.items.inCatalog(ev.item) || ev.type === 'remove_from_cart') continue;
    const path = models.items.categoryPath(ev.item);
    if (path.length === 0) continue;
    const w = Math.exp(-Math.max(0, now - ev.ts) / (CATEGORY_DECAY_DAYS * DAY_MS));
    const key = path.join('/');
    let entry = weights.get(key);
    if (!entry) {
      entry = {
        path,
        w: 0,
        input: { category: ev.category, description: 'your interactions', items: [], times: [] },
      };
      weights.set(key, entry);
    }
    entry.w += w;
    entry.input.items.push(ev.id);
    entry.input.times.push(ev.ts);
    sum += w;
  }
  const categories = [...weights.values()].sort((a, b) => b.w - a.w).slice(0, 3);
  for (const c of categories) {
    out.push({ kind: 'next_category', category: c.path, probability: c.w / sum, inputs: [c.input] });
  }

  // Purchase propensity of this visit: a logistic score of session signals and purchase habit
  // (a transparent heuristic with fixed coefficients, not a model trained on this shop).
  if (scope.sessionCount > 0) {
    const session = scope.events.slice(0, scope.sessionCount);
    const views = session.filter((e) => e.type === 'view').length;
    const cart = cartOf(scope).length;
    const pastDays = new Set(
      scope.events
        .slice(scope.sessionCount)
        .filter((e) => e.type === 'purchase')
        .map((e) => Math.floor(e.ts / DAY_MS)),
    ).size;
    const z = -3 + 0.1 * Math.min(views, 20) + 1.5 * Math.min(cart, 2) + 0.4 * Math.min(pastDays, 5);
    out.push({
      kind: 'purchase_propensity',
      probability: 1 / (1 + Math.exp(-z)),
      inputs: [
        {
          category: session[0]!.category,
          description: `this visit: ${views} views, ${cart} items in the cart`,
          items: session.map((e) => e.id),
          times: session.map((e) => e.ts),
        },
        {
          category: null,
          description: `purchase days in your history: ${pastDays}`,
          items: [],
          times: [],
        },
      ],
    });
  }
  return out;
}
