/**
 * `npm run bench -- scale [--items N] [--events N] [--subjects N] [--seed N] [--queries N]
 *                         [--no-baseline] [--retail [--validate] [--data DIR]]`
 *
 * A shop's real size, in-process: a seeded synthetic shop (default 100,000 items, 5,000,000
 * events of 200,000 subjects; power-law item popularity, sessions of several events mixing
 * views, add-to-cart, purchases and searches, consumables bought again on a cycle) is built
 * through the server's rebuild path (`buildModelsOffThread`: the exact state on this thread in
 * slices, the derived model in a worker thread), then `recommend(…, 'for_you')` is timed at
 * levels 0–3 with consent-scoped `SubjectView`s built as a flow builds them, and a full rebuild
 * runs while requests keep arriving every 2 ms: their latency (from arrival to answer) is the
 * "request p99 during a rebuild". Baseline in the same process: the same during a rebuild whose
 * exact state is built in one go on the request thread (the previous server path), and the
 * level-0 trending answer.
 *
 * `--retail` instead compares the derived models on Online Retail in one run: EASE (dense,
 * the catalog is small enough) against the sparse co-purchase rows, test split (or the
 * validation split from TRAIN with `--validate`).
 *
 * Searches are generated like the other events but, as `toInteractions` does for stored rows,
 * never reach the engine (they carry no item preference). Last line: JSON.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  buildExactModels,
  type CatalogItem,
  type Interaction,
  type InteractionType,
  type Level,
  type Models,
  recommend,
  type SubjectView,
} from '@vitrine/engine';
import { buildModelsOffThread, refreshOffThread } from '../apps/server/src/runtime/derive';
import { percentile } from './lib/quality-metrics';
import { evaluateRetail } from './lib/quality-retail';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);
const f = (x: number, d = 2) => x.toFixed(d);
const mb = (bytes: number) => Math.round(bytes / 1048576);

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples ranks 0..n-1 with P(r) ∝ (r+1)^-s. */
function zipf(n: number, s: number, rnd: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    sum += (r + 1) ** -s;
    cdf[r] = sum;
  }
  return () => {
    const x = rnd() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Shop {
  catalog: CatalogItem[];
  /** everything generated, searches included */
  events: Interaction[];
  searches: number;
  subjects: string[];
}

const CATEGORY_OF: Record<InteractionType, string> = {
  view: 'browsing',
  add_to_cart: 'cart',
  remove_from_cart: 'cart',
  purchase: 'purchases',
  search: 'browsing',
};

/**
 * The synthetic shop. Items come in categories of 100; a session keeps to one category most of
 * the time. Category and within-category popularity are Zipf-like, so item popularity follows a
 * power law. Every 20th item is a consumable with a repurchase cycle of 14–73 days: a buyer
 * often comes back for it about a cycle later.
 */
export function runScaleGen(items: number, events: number, subjects: number, seed = 14): Shop {
  return generate(items, events, subjects, seed);
}

function generate(items: number, events: number, subjects: number, seed: number): Shop {
  const rnd = rng(seed);
  const per = 100;
  const categories = Math.max(1, Math.ceil(items / per));
  const catalog: CatalogItem[] = [];
  const ids: string[] = [];
  for (let i = 0; i < items; i++) {
    const c = Math.floor(i / per);
    const id = `sku-${i.toString(36)}`;
    ids.push(id);
    const g = rnd() + rnd() + rnd() - 1.5;
    catalog.push({
      id,
      title: `Artikel ${i}`,
      categoryPath: [`Abteilung ${c % 40}`, `Kategorie ${c}`],
      price: Math.round(Math.exp(3 + g) * 100) / 100,
      available: rnd() > 0.05,
    });
  }
  const cycleDays = (i: number) => (i % 20 === 0 ? 14 + ((i * 7919) % 60) : 0);
  // Category order shuffled, so popular categories are not the low ids.
  const catPerm = Array.from({ length: categories }, (_, c) => c);
  for (let c = categories - 1; c > 0; c--) {
    const j = Math.floor(rnd() * (c + 1));
    [catPerm[c], catPerm[j]] = [catPerm[j]!, catPerm[c]!];
  }
  const pickCat = zipf(categories, 1.0, rnd);
  const inCat = zipf(per, 1.1, rnd);
  const itemIn = (c: number) => Math.min(items - 1, c * per + inCat());
  const names = Array.from({ length: subjects }, (_, s) => `sub_${s.toString(36).padStart(4, '0')}`);
  const pickSubject = zipf(subjects, 0.6, rnd);
  const out: Interaction[] = [];
  let searches = 0;
  let sessionNo = 0;
  const push = (subject: string, session: string, item: number, type: InteractionType, ts: number) => {
    if (type === 'search') searches++;
    const ev: Interaction = { subject, session, item: ids[item]!, type, ts, category: CATEGORY_OF[type] };
    if (type === 'add_to_cart' || type === 'purchase') ev.quantity = 1;
    out.push(ev);
  };
  for (let k = 0; out.length < events; k++) {
    // Every subject has a session; then more for the active ones.
    const s = k < subjects ? k : pickSubject();
    const subject = names[s]!;
    const session = `ses_${(sessionNo++).toString(36)}`;
    let ts = NOW - Math.floor(rnd() * 365 * DAY);
    const focus = catPerm[pickCat()]!;
    const len = Math.min(30, 1 + Math.floor(-Math.log(1 - rnd()) * 4));
    const seen: number[] = [];
    const cart: number[] = [];
    for (let e = 0; e < len && out.length < events; e++) {
      ts += 20_000 + Math.floor(rnd() * 100_000);
      const r = rnd();
      if (r < 0.04) {
        push(subject, session, itemIn(focus), 'search', ts);
        continue;
      }
      const item =
        seen.length > 0 && r < 0.2
          ? seen[Math.floor(rnd() * seen.length)]!
          : rnd() < 0.75
            ? itemIn(focus)
            : itemIn(catPerm[pickCat()]!);
      push(subject, session, item, 'view', ts);
      seen.push(item);
      if (rnd() < 0.12) {
        push(subject, session, item, 'add_to_cart', ts + 5000);
        cart.push(item);
      }
    }
    // Checkout: about half of the carts, most of their items.
    if (cart.length > 0 && rnd() < 0.5) {
      ts += 60_000;
      for (const item of new Set(cart)) {
        if (out.length >= events || rnd() > 0.8) continue;
        push(subject, session, item, 'purchase', ts);
        const cycle = cycleDays(item);
        // Consumables: bought again about a cycle later, a few times.
        if (cycle > 0 && rnd() < 0.6) {
          let t = ts;
          for (let rep = 0; rep < 6 && out.length + 2 <= events; rep++) {
            t += Math.round(cycle * (0.8 + 0.4 * rnd()) * DAY);
            if (t >= NOW) break;
            const again = `ses_${(sessionNo++).toString(36)}`;
            push(subject, again, item, 'view', t);
            push(subject, again, item, 'purchase', t + 60_000);
            if (rnd() < 0.25) break;
          }
        }
      }
    }
  }
  return { catalog, events: out, searches, subjects: names };
}

/** The views a flow would build: the subject's last session as the session, the rest as history. */
export function viewsOfShop(shop: Shop, count: number, seed: number) {
  return viewsOf(shop, count, seed);
}

function viewsOf(
  shop: Shop,
  count: number,
  seed: number,
): { view: (level: Level) => SubjectView; now: number }[] {
  const rnd = rng(seed);
  const wanted = new Set<string>();
  while (wanted.size < Math.min(count, shop.subjects.length))
    wanted.add(shop.subjects[Math.floor(rnd() * shop.subjects.length)]!);
  const bySubject = new Map<string, Interaction[]>();
  for (const e of shop.events) {
    if (!wanted.has(e.subject) || e.type === 'search') continue;
    const list = bySubject.get(e.subject);
    if (list) list.push(e);
    else bySubject.set(e.subject, [e]);
  }
  const allowed: ReadonlySet<string> = new Set(['browsing', 'cart', 'purchases']);
  const purposeOf = {
    browsing: 'personalisation_session',
    cart: 'personalisation_session',
    purchases: 'personalisation_history',
  };
  return [...bySubject.values()].map((events) => {
    events.sort((a, b) => a.ts - b.ts);
    const last = events[events.length - 1]!;
    const session = events.filter((e) => e.session === last.session);
    const history = events.filter((e) => e.session !== last.session);
    return {
      // Asked at the end of the data, as a server asks at its current time (one day: the
      // trending ranking is computed once and then kept up to date).
      now: Math.max(NOW, last.ts + 60_000),
      view: (level: Level) => ({
        subject: last.subject,
        level,
        allowedCategories: allowed,
        purposeOf,
        session: level >= 1 ? session : [],
        history: level >= 2 ? history : [],
        predictions: level >= 3,
      }),
    };
  });
}

/**
 * Latencies of `for_you` at one level, one call per view, sorted; beside them the fastest of
 * three calls per view (which filters out the scheduler pauses of a shared machine).
 */
function timeLevel(
  models: Models,
  views: ReturnType<typeof viewsOf>,
  level: Level,
): { single: Float64Array; min3: Float64Array } {
  const single = new Float64Array(views.length);
  const min3 = new Float64Array(views.length);
  views.forEach(({ view, now }, i) => {
    const v = view(level);
    for (let rep = 0; rep < 3; rep++) {
      const start = performance.now();
      recommend(models, { scenario: 'for_you', view: v, limit: 10, now });
      const ms = performance.now() - start;
      if (rep === 0) {
        single[i] = ms;
        min3[i] = ms;
      } else min3[i] = Math.min(min3[i]!, ms);
    }
  });
  return { single: single.sort(), min3: min3.sort() };
}

/**
 * Requests arriving every `everyMs` while `work` runs: each answers a level-2 `for_you` on the
 * serving models; its latency runs from its arrival time to its answer, so time spent waiting
 * behind the build counts.
 */
async function underLoad(
  serving: Models,
  views: ReturnType<typeof viewsOf>,
  everyMs: number,
  work: () => Promise<unknown>,
): Promise<{ p50: number; p99: number; max: number; requests: number; seconds: number }> {
  const lat: number[] = [];
  let done = false;
  const t0 = performance.now();
  const loop = (async () => {
    let next = performance.now();
    let i = 0;
    while (!done) {
      // Poll with setImmediate (timers are too coarse): an arrival waits only for what runs
      // on this thread before it, the build's slices included.
      await new Promise((r) => setImmediate(r));
      // Arrivals that fell due while we were held up are answered now (for at most 5 ms at a
      // time, so that an overloaded loop still lets the build go on).
      const turn = performance.now();
      while (!done && performance.now() >= next && performance.now() - turn < 5) {
        const { view, now } = views[i++ % views.length]!;
        recommend(serving, { scenario: 'for_you', view: view(2), limit: 10, now });
        lat.push(performance.now() - next);
        next += everyMs;
      }
    }
  })();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  await loop;
  const sorted = Float64Array.from(lat).sort();
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
    requests: sorted.length,
    seconds,
  };
}

const rss = () => mb(process.memoryUsage().rss);
const peakRss = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function runRetail(dataDir: string, validate: boolean): Promise<void> {
  const split = validate ? 'validation split from TRAIN' : 'test split';
  console.log(`# Online Retail, derived models compared in one run (${split})\n`);
  console.log('| derived model | build s | L2 NDCG@10 | L3 Recall@10 | L3 NDCG@10 | L3 HR@10 | L3 p99 ms |');
  console.log('|---|---|---|---|---|---|---|');
  const lines: string[] = [];
  for (const [name, options] of [
    ['EASE (dense, ≤ 4,000 items)', { easeMaxItems: 4000 }],
    ['sparse co-purchase rows', { easeMaxItems: 0 }],
  ] as const) {
    const r = evaluateRetail(dataDir, options, validate);
    if (!r) throw new Error(`no online-retail data in ${dataDir}`);
    const l2 = r.levels[2]!;
    console.log(
      `| ${name} | ${f(r.buildS, 1)} | ${f(l2.ndcg)} | ${f(r.recall)} | ${f(r.ndcg)} | ${f(r.hr)} | ${f(r.p99Ms, 3)} |`,
    );
    lines.push(
      JSON.stringify({
        bench: 'scale-retail',
        model: options.easeMaxItems > 0 ? 'ease' : 'sparse',
        validate,
        build_s: +f(r.buildS),
        ndcg10_l2: +f(l2.ndcg),
        ndcg10: +f(r.ndcg),
        recall10: +f(r.recall),
        hr10: +f(r.hr),
      }),
    );
  }
  console.log('');
  for (const l of lines) console.log(l);
}

export async function runScale(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      items: { type: 'string', default: '100000' },
      events: { type: 'string', default: '5000000' },
      subjects: { type: 'string', default: '200000' },
      seed: { type: 'string', default: '14' },
      queries: { type: 'string', default: '2000' },
      'no-baseline': { type: 'boolean', default: false },
      retail: { type: 'boolean', default: false },
      validate: { type: 'boolean', default: false },
      data: { type: 'string' },
    },
  });
  if (values.retail) {
    const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    await runRetail(resolve(values.data ?? resolve(repo, '../shared/data')), values.validate);
    return;
  }
  const items = Number(values.items);
  const events = Number(values.events);
  const subjects = Number(values.subjects);
  console.log(
    `# scale benchmark — ${items} items, ${events} events, ${subjects} subjects (seed ${values.seed})`,
  );

  let t = performance.now();
  const seed = Number(values.seed);
  let shop: Shop | null = generate(items, events, subjects, seed);
  const catalog = shop.catalog;
  const types = new Map<string, number>();
  for (const e of shop.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
  console.log(
    `generated in ${f((performance.now() - t) / 1000, 1)} s: ${[...types].map(([k, n]) => `${k} ${n}`).join(', ')}; RSS ${rss()} MB`,
  );
  const views = viewsOf(shop, Number(values.queries), 99);
  // As a server rebuilding from its store: each build gets the stored interactions afresh (the
  // same seeded shop), searches left out as \`toInteractions\` leaves them out, and nothing else
  // keeps them once they are learned.
  const learnable = (): Interaction[] => {
    const all = shop?.events ?? generate(items, events, subjects, seed).events;
    shop = null;
    return all.filter((e) => e.type !== 'search');
  };

  // 1. The build, as the server's rebuild path runs it (nothing else running).
  t = performance.now();
  const models = await buildModelsOffThread(catalog, learnable());
  const buildS = (performance.now() - t) / 1000;
  const s = models.stats();
  console.log(
    `build (server path: exact state in slices + derived model in a worker): ${f(buildS, 1)} s; ` +
      `${s.sessions} sessions, ${s.subjects} subjects, ${s.events} events learned, ${s.derivedItems} items with rows ` +
      `(${models.derived?.kind === 0 ? 'sparse' : 'EASE'}, ${models.derived?.data.nbrCol.length} neighbours); RSS ${rss()} MB`,
  );
  t = performance.now();
  await refreshOffThread(models);
  const refreshS = (performance.now() - t) / 1000;

  // 2. for_you latency per level.
  for (let warm = 0; warm < 2; warm++)
    for (const level of [1, 2, 3] as Level[]) timeLevel(models, views, level);
  const perLevel = ([0, 1, 2, 3] as Level[]).map((level) => {
    const { single, min3 } = timeLevel(models, views, level);
    return {
      level,
      p50: percentile(single, 0.5),
      p99: percentile(single, 0.99),
      p99min3: percentile(min3, 0.99),
    };
  });
  console.log(`\n## for_you in-process, ${views.length} subjects (their last session as the session)\n`);
  console.log('| level | p50 ms | p99 ms | p99 ms, fastest of 3 per query |\n|---|---|---|---|');
  for (const r of perLevel)
    console.log(
      `| ${r.level}${r.level === 0 ? ' (baseline: trending)' : ''} | ${f(r.p50, 3)} | ${f(r.p99, 3)} | ${f(r.p99min3, 3)} |`,
    );

  // 3. Requests while a full rebuild runs.
  console.log('\n## level-2 requests every 2 ms while a full rebuild runs (latency from arrival)\n');
  console.log('| rebuild | build s | requests | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|');
  const quiet = await underLoad(models, views, 2, () => new Promise((r) => setTimeout(r, 2000)));
  console.log(
    `| none (same load, no rebuild) | – | ${quiet.requests} | ${f(quiet.p50, 3)} | ${f(quiet.p99, 3)} | ${f(quiet.max, 1)} |`,
  );
  let rebuilt: Models | null = null;
  let input = learnable();
  const during = await underLoad(models, views, 2, async () => {
    rebuilt = await buildModelsOffThread(catalog, input);
  });
  console.log(
    `| server path (slices + worker) | ${f(during.seconds, 1)} | ${during.requests} | ${f(during.p50, 3)} | ${f(during.p99, 3)} | ${f(during.max, 1)} |`,
  );
  const same = rebuilt !== null && (rebuilt as Models).fingerprint() === models.fingerprint();
  rebuilt = null;
  let baseline: Awaited<ReturnType<typeof underLoad>> | null = null;
  if (!values['no-baseline']) {
    input = learnable();
    baseline = await underLoad(models, views, 2, async () => {
      // The previous path: the exact state in one go on the request thread (then the derived
      // model in a worker, as before).
      await new Promise((r) => setTimeout(r, 0));
      const m = buildExactModels(catalog, input);
      input = [];
      await refreshOffThread(m);
    });
    console.log(
      `| baseline: exact state in one go (previous path) | ${f(baseline.seconds, 1)} | ${baseline.requests} | ${f(baseline.p50, 3)} | ${f(baseline.p99, 3)} | ${f(baseline.max, 1)} |`,
    );
  }
  const peak = peakRss();
  const p99 = Math.max(perLevel[1]!.p99, perLevel[2]!.p99, perLevel[3]!.p99);
  const p99min3 = Math.max(perLevel[1]!.p99min3, perLevel[2]!.p99min3, perLevel[3]!.p99min3);
  console.log(
    `\nbuild ${f(buildS, 1)} s (derived-model refresh alone ${f(refreshS, 1)} s); peak RSS ${peak} MB; ` +
      `for_you p99 (worst of levels 1–3) ${f(p99, 3)} ms (fastest of 3: ${f(p99min3, 3)} ms); request p99 during a rebuild ${f(during.p99, 3)} ms` +
      `${baseline ? ` (previous path ${f(baseline.p99, 1)} ms)` : ''}; rebuild equals the first build: ${same}`,
  );
  console.log(
    JSON.stringify({
      bench: 'scale',
      items,
      events,
      build_s: +f(buildS),
      rss_mb: peak,
      p99_ms: +f(p99, 3),
      p99_min3_ms: +f(p99min3, 3),
      p99_l1_ms: +f(perLevel[1]!.p99, 3),
      p99_l2_ms: +f(perLevel[2]!.p99, 3),
      p99_l3_ms: +f(perLevel[3]!.p99, 3),
      p99_l0_ms: +f(perLevel[0]!.p99, 3),
      rebuild_p99_ms: +f(during.p99, 3),
      quiet_p99_ms: +f(quiet.p99, 3),
      ...(baseline ? { baseline_rebuild_p99_ms: +f(baseline.p99, 3) } : {}),
      subjects,
      refresh_s: +f(refreshS),
    }),
  );
}
