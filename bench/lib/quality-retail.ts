import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildModels,
  type Interaction,
  type Level,
  type ModelOptions,
  recommend,
  type SubjectView,
} from '@vitrine/engine';
import { type RetailRow, readRetail, retailCatalog, retailInteraction } from './quality-data';
import { percentile, SetMetrics } from './quality-metrics';

export interface RetailResult {
  customers: number;
  items: number;
  rows: { method: string; recall: number; ndcg: number; hr: number }[];
  levels: { level: Level; sees: string; recall: number; ndcg: number; hr: number }[];
  recall: number;
  ndcg: number;
  hr: number;
  buildS: number;
  p50Ms: number;
  p99Ms: number;
  /** p99 of the fastest of three runs of each level-3 query */
  p99Min3Ms: number;
}

const DAY = 86_400_000;
const ALLOWED: ReadonlySet<string> = new Set(['purchases']);
const SEES: Record<Level, string> = {
  0: 'nothing personal (trending)',
  1: 'the items of the last invoice day (as the session)',
  2: 'level 1 + all earlier purchases',
  3: 'level 2 + repurchase predictions',
};

/**
 * The README protocol: train on invoices before 2011-09-01, predict the set of items each customer
 * with invoices before and after buys from then on. `validate` instead splits TRAIN at 2011-06-01
 * and predicts June–August (used once to pick the defaults).
 */
export function evaluateRetail(
  dataDir: string,
  options: Partial<ModelOptions>,
  validate: boolean,
): RetailResult | null {
  if (!existsSync(join(dataDir, 'online-retail', 'online_retail.csv'))) return null;
  const all = readRetail(dataDir);
  const split = validate ? Date.UTC(2011, 5, 1) : Date.UTC(2011, 8, 1);
  const end = validate ? Date.UTC(2011, 8, 1) : Number.POSITIVE_INFINITY;
  const train = all.filter((r) => r.ts < split);
  const truth = new Map<string, Set<string>>();
  for (const r of all) {
    if (r.ts < split || r.ts >= end) continue;
    const set = truth.get(r.customer) ?? new Set<string>();
    set.add(r.item);
    truth.set(r.customer, set);
  }
  const past = new Map<string, RetailRow[]>();
  for (const r of train) {
    const list = past.get(r.customer) ?? [];
    list.push(r);
    past.set(r.customer, list);
  }
  const customers = [...truth.keys()].filter((c) => past.has(c)).sort();

  const interactions = train.map(retailInteraction);
  const t0 = performance.now();
  const models = buildModels(retailCatalog(train), interactions, options);
  const buildS = (performance.now() - t0) / 1000;
  const now = split;

  // Baselines in the same run: popularity (number of buyers) and each customer's most-bought items.
  const buyers = new Map<string, Set<string>>();
  for (const r of train) {
    const set = buyers.get(r.item) ?? new Set<string>();
    set.add(r.customer);
    buyers.set(r.item, set);
  }
  const popular = [...buyers].sort((a, b) => b[1].size - a[1].size).map(([id]) => id);
  const pop = new SetMetrics(10);
  const own = new SetMetrics(10);
  for (const c of customers) {
    const t = truth.get(c)!;
    pop.add(popular.slice(0, 10), t);
    const invoices = new Map<string, Set<string>>();
    const last = new Map<string, number>();
    for (const r of past.get(c)!) {
      const set = invoices.get(r.item) ?? new Set<string>();
      set.add(r.invoice);
      invoices.set(r.item, set);
      last.set(r.item, Math.max(last.get(r.item) ?? 0, r.ts));
    }
    const mine = [...invoices]
      .sort((a, b) => b[1].size - a[1].size || last.get(b[0])! - last.get(a[0])!)
      .map(([id]) => id);
    own.add(mine.slice(0, 10), t);
  }

  const levels: RetailResult['levels'] = [];
  let times = new Float64Array(0);
  let times3 = new Float64Array(0);
  for (const level of [0, 1, 2, 3] as Level[]) {
    const m = new SetMetrics(10);
    const lat = new Float64Array(customers.length);
    const lat3 = new Float64Array(customers.length);
    customers.forEach((c, i) => {
      const view = customerView(c, past.get(c)!, level);
      const start = performance.now();
      const res = recommend(models, { scenario: 'for_you', view, limit: 10, now });
      lat[i] = performance.now() - start;
      m.add(
        res.items.map((r) => r.id),
        truth.get(c)!,
      );
      if (level === 3) {
        // The same query twice more: the fastest of the three filters out scheduler and GC pauses
        // of a shared machine (the single-pass figure is reported beside it).
        let best = lat[i]!;
        for (let rep = 0; rep < 2; rep++) {
          const t = performance.now();
          recommend(models, { scenario: 'for_you', view, limit: 10, now });
          best = Math.min(best, performance.now() - t);
        }
        lat3[i] = best;
      }
    });
    levels.push({ level, sees: SEES[level], ...m.values });
    if (level === 3) {
      times = lat.sort();
      times3 = lat3.sort();
    }
  }
  const best = levels[3]!;
  return {
    customers: customers.length,
    items: models.stats().items,
    rows: [
      { method: 'popularity (buyers)', ...pop.values },
      { method: 'own most-bought items', ...own.values },
      { method: 'Vitrine level 3 (session + history + predictions)', ...best },
    ],
    levels,
    recall: best.recall,
    ndcg: best.ndcg,
    hr: best.hr,
    buildS,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    p99Min3Ms: percentile(times3, 0.99),
  };
}

/** The view a flow would build at each level: the last invoice day is the "session". */
function customerView(customer: string, rows: readonly RetailRow[], level: Level): SubjectView {
  const events: Interaction[] = rows.map(retailInteraction);
  const lastDay = Math.max(...rows.map((r) => Math.floor(r.ts / DAY)));
  const session = events.filter((e) => Math.floor(e.ts / DAY) === lastDay);
  const history = events.filter((e) => Math.floor(e.ts / DAY) !== lastDay);
  return {
    subject: customer,
    level,
    allowedCategories: ALLOWED,
    purposeOf: { purchases: 'personalisation_history' },
    session: level >= 1 ? session : [],
    history: level >= 2 ? history : [],
    predictions: level >= 3,
  };
}
