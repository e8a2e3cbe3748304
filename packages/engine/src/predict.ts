import { itemCycle, repurchaseProbability } from './models/cycles';
import type { Models } from './models/models';
import { DAY_MS } from './models/popularity';
import { cartOf, type ScopedEvent, scopeOf } from './scope';
import { purchasesOf } from './score/history';
import type { InteractionType, Prediction, PredictionInput, PredictionInputKind, SubjectView } from './types';

/** Recency decay (days) of the events behind the next-category prediction. */
const CATEGORY_DECAY_DAYS = 14;

/** What each event type is, as a prediction input; `remove_from_cart` is no input. */
const INPUT_KIND: Readonly<Record<InteractionType, PredictionInputKind | null>> = {
  view: 'viewed',
  add_to_cart: 'carted',
  remove_from_cart: null,
  purchase: 'bought',
  search: 'searched',
};

/**
 * The subject's own events as prediction inputs, one per event type and data category, in the
 * order the types first occur: views, cart additions, purchases and search clicks are never merged.
 */
function inputsOf(events: readonly ScopedEvent[]): PredictionInput[] {
  const byKey = new Map<string, PredictionInput>();
  for (const ev of events) {
    const kind = INPUT_KIND[ev.type];
    if (kind === null) continue;
    const key = `${kind}\u0000${ev.category}`;
    let input = byKey.get(key);
    if (!input) {
      input = { kind, category: ev.category, items: [], times: [] };
      byKey.set(key, input);
    }
    input.items.push(ev.id);
    input.times.push(ev.ts);
  }
  return [...byKey.values()];
}

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
        ...inputsOf(own),
        { kind: 'repurchase_intervals', category: null, buyers: cycle.buyers, items: [id], times: [] },
      ],
    });
  }
  repurchases.sort((a, b) => b.probability - a.probability);
  out.push(...repurchases);

  // Next category: recency-weighted share of the catalog categories of the subject's events.
  const weights = new Map<string, { path: string[]; w: number; events: ScopedEvent[] }>();
  let sum = 0;
  for (const ev of scope.events) {
    if (ev.item < 0 || !models.items.inCatalog(ev.item) || INPUT_KIND[ev.type] === null) continue;
    const path = models.items.categoryPath(ev.item);
    if (path.length === 0) continue;
    const w = Math.exp(-Math.max(0, now - ev.ts) / (CATEGORY_DECAY_DAYS * DAY_MS));
    const key = path.join('/');
    let entry = weights.get(key);
    if (!entry) {
      entry = { path, w: 0, events: [] };
      weights.set(key, entry);
    }
    entry.w += w;
    entry.events.push(ev);
    sum += w;
  }
  const categories = [...weights.values()].sort((a, b) => b.w - a.w).slice(0, 3);
  for (const c of categories) {
    out.push({ kind: 'next_category', category: c.path, probability: c.w / sum, inputs: inputsOf(c.events) });
  }

  // Purchase propensity of this visit: a logistic score of session signals and purchase habit
  // (a transparent heuristic with fixed coefficients, not a model trained on this shop).
  if (scope.sessionCount > 0) {
    const session = scope.events.slice(0, scope.sessionCount);
    const views = session.filter((e) => e.type === 'view');
    const cart = cartOf(scope).map((e) => scope.events[e]!);
    const past = scope.events.slice(scope.sessionCount).filter((e) => e.type === 'purchase');
    const pastDays = new Set(past.map((e) => Math.floor(e.ts / DAY_MS))).size;
    const z =
      -3 + 0.1 * Math.min(views.length, 20) + 1.5 * Math.min(cart.length, 2) + 0.4 * Math.min(pastDays, 5);
    out.push({
      kind: 'purchase_propensity',
      probability: 1 / (1 + Math.exp(-z)),
      inputs: inputsOf([...views, ...cart, ...past]),
    });
  }
  return out;
}
