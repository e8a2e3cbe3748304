import {
  buildModels,
  type CatalogItem,
  type Interaction,
  type ModelOptions,
  recommend,
  type SubjectView,
} from '@vitrine/engine';
import { SESSION_GAP_MS, type SessionDataset, sessionInteractions, T0 } from './quality-data';
import { NextItemMetrics, percentile } from './quality-metrics';

export interface SessionResult {
  dataset: string;
  rows: { method: string; hr20: number; mrr20: number }[];
  hr20: number;
  mrr20: number;
  buildS: number;
  p50Ms: number;
  p99Ms: number;
}

const ALLOWED: ReadonlySet<string> = new Set(['browsing']);

/** A level-1 view: only the current session, as the server's flow would hand it over. */
function sessionView(prefix: readonly string[], now: number): SubjectView {
  const session: Interaction[] = prefix.map((item, p) => ({
    subject: 'visitor',
    session: 'current',
    item,
    type: 'view',
    ts: now - (prefix.length - 1 - p) * 1000,
    category: 'browsing',
  }));
  return {
    subject: 'visitor',
    level: 1,
    allowedCategories: ALLOWED,
    purposeOf: { browsing: 'personalisation_session' },
    session,
    history: [],
    predictions: false,
  };
}

/** POP and S-POP (popularity within the session, ties and fill by POP), as in the SR-GNN paper. */
function baselines(
  ds: SessionDataset,
  test: SessionDataset['test'],
): { pop: NextItemMetrics; spop: NextItemMetrics } {
  const counts = new Map<string, number>();
  for (const s of ds.train) for (const item of s) counts.set(item, (counts.get(item) ?? 0) + 1);
  const popular = [...counts].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const top = popular.slice(0, 40);
  const pop = new NextItemMetrics(20);
  const spop = new NextItemMetrics(20);
  for (const { prefix, target } of test) {
    pop.add(top, target);
    const inSession = new Map<string, number>();
    for (const item of prefix) inSession.set(item, (inSession.get(item) ?? 0) + 1);
    const ranked = [...inSession]
      .sort((a, b) => b[1] - a[1] || (counts.get(b[0]) ?? 0) - (counts.get(a[0]) ?? 0))
      .map(([id]) => id);
    for (const id of top) if (ranked.length < 20 && !inSession.has(id)) ranked.push(id);
    spop.add(ranked, target);
  }
  return { pop, spop };
}

/**
 * The shop's catalog as the session files show it: every item id of the training sessions and
 * of the test prefixes (a shop knows the items its customers look at, also those no one else has
 * looked at yet). Targets are not added: an item seen only as a target stays unknown.
 */
function sessionCatalog(ds: SessionDataset): CatalogItem[] {
  const ids = new Set<string>();
  for (const s of ds.train) for (const item of s) ids.add(item);
  for (const { prefix } of ds.test) for (const item of prefix) ids.add(item);
  return [...ids].map((id) => ({ id, title: id, categoryPath: [], price: 0, available: true }));
}

/** Builds the engine's models from the training sessions and scores every test prefix in-process. */
export function evaluateSessions(
  ds: SessionDataset,
  options: Partial<ModelOptions>,
  withBaselines = true,
): SessionResult {
  const interactions = sessionInteractions(ds.train);
  const t0 = performance.now();
  const models = buildModels(sessionCatalog(ds), interactions, options);
  const buildS = (performance.now() - t0) / 1000;
  interactions.length = 0;
  const now = T0 + ds.train.length * SESSION_GAP_MS + 3_600_000;
  const metrics = new NextItemMetrics(20);
  const times = new Float64Array(ds.test.length);
  ds.test.forEach(({ prefix, target }, i) => {
    const view = sessionView(prefix, now);
    const start = performance.now();
    const result = recommend(models, { scenario: 'for_you', view, limit: 20, now });
    times[i] = performance.now() - start;
    metrics.add(
      result.items.map((r) => r.id),
      target,
    );
  });
  times.sort();
  const rows = [{ method: 'Vitrine (V-STAN + SR, level 1)', hr20: metrics.hr, mrr20: metrics.mrr }];
  if (withBaselines) {
    const { pop, spop } = baselines(ds, ds.test);
    rows.unshift(
      { method: 'POP', hr20: pop.hr, mrr20: pop.mrr },
      { method: 'S-POP', hr20: spop.hr, mrr20: spop.mrr },
    );
  }
  return {
    dataset: ds.name,
    rows,
    hr20: metrics.hr,
    mrr20: metrics.mrr,
    buildS,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
  };
}

/**
 * A validation split carved from TRAIN only that mirrors how the test split was made: the last
 * 10 % of training sessions (in file order, which is time order in these files) become
 * validation prefixes (every prefix → next item), the rest trains. Whether items unknown to the
 * training part are dropped from the validation sessions follows the test split: if no test
 * prefix or target holds an item unknown to TRAIN, the test split was filtered that way (as in
 * the SR-GNN preprocessing) and so is the validation split; otherwise unknown items stay, since
 * the test split keeps them too. (Dropping them when the test split keeps them made validation
 * overrate blends that ignore the session's own new items.) Only the item ids of the test file
 * are read for this, never which target follows which prefix.
 */
export function validationSplit(ds: SessionDataset): SessionDataset {
  const cut = Math.floor(ds.train.length * 0.9);
  const known = new Set<string>();
  const train = ds.train.slice(0, cut);
  for (const s of train) for (const item of s) known.add(item);
  const all = new Set<string>();
  for (const s of ds.train) for (const item of s) all.add(item);
  const filtered = ds.test.every(
    ({ prefix, target }) => all.has(target) && prefix.every((item) => all.has(item)),
  );
  const test: SessionDataset['test'] = [];
  for (const s of ds.train.slice(cut)) {
    const items = filtered ? s.filter((i) => known.has(i)) : s;
    for (let p = 1; p < items.length; p++) test.push({ prefix: items.slice(0, p), target: items[p]! });
  }
  return { name: `${ds.name}-validation`, train, test };
}

/**
 * Blends tried once per dataset on its validation split from TRAIN: how much the last item's
 * sequential rules weigh beside V-STAN, and how fast older session items fade. Datasets differ
 * here (click streams follow the last click; product-view sessions less so). The last candidate is
 * a click-stream profile: rules dominate (with second-order rules on the last two clicks), a weaker
 * reminder, and more neighbours matched on the whole session (slow λ_spw, flat λ_inh) to keep the
 * hit rate, as the rules already carry the last click.
 */
export const SESSION_CANDIDATES: Partial<ModelOptions>[] = [
  { srWeight: 0.1, lambdaSpw: 4 },
  { srWeight: 0.3, lambdaSpw: 2 },
  { srWeight: 1, lambdaSpw: 2 },
  { srWeight: 1, lambdaSpw: 1 },
  { srWeight: 2, lambdaSpw: 6, remindWeight: 0.25, neighbours: 300, lambdaInh: 20, sr2Weight: 0.5 },
];

export function tuneOnValidation(
  ds: SessionDataset,
  base: Partial<ModelOptions>,
): {
  chosen: Partial<ModelOptions>;
  tried: { options: Partial<ModelOptions>; hr20: number; mrr20: number }[];
} {
  const validation = validationSplit(ds);
  const tried = SESSION_CANDIDATES.map((candidate) => {
    const options = { ...base, ...candidate };
    const r = evaluateSessions(validation, options, false);
    return { options: candidate, hr20: r.hr20, mrr20: r.mrr20 };
  });
  const best = tried.reduce((a, b) => (b.hr20 + b.mrr20 > a.hr20 + a.mrr20 ? b : a));
  return { chosen: { ...base, ...best.options }, tried };
}
