/**
 * `npm run bench -- ingest [--events N] [--batch N] [--runs N]`
 *
 * Sends batched events through the real ingestion path — HTTP app in-process (auth, JSON,
 * validation, consent gate, minimisation, expiry, durable insert, model update) — into the
 * embedded store and, when DATABASE_URL is set, PostgreSQL. Beside it, in the same process,
 * the baseline: the store's bulk insert alone, to show what the path costs on top.
 * Last lines: one JSON object per store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, parseConfig, Vitrine } from '@vitrine/server';
import type { EventRow } from '@vitrine/storage';
import pino from 'pino';

interface Figures {
  events_per_s: number;
  accepted_per_s: number;
  baseline_insert_rows_per_s: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function makeBatches(
  subjects: string[],
  items: string[],
  total: number,
  batch: number,
  now: number,
): string[] {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const bodies: string[] = [];
  for (let sent = 0; sent < total; sent += batch) {
    const events = [];
    for (let i = 0; i < Math.min(batch, total - sent); i++) {
      const s = Math.floor(rnd() * subjects.length);
      const subject_id = subjects[s]!;
      const item_id = items[Math.floor(rnd() * items.length)]!;
      const ts = new Date(now - Math.floor(rnd() * 3_600_000)).toISOString();
      const r = rnd();
      const session_id = `ses_${s}_${Math.floor(rnd() * 3)}`;
      if (r < 0.8)
        events.push({ type: 'view', subject_id, session_id, item_id, ts, context: { device: 'mobile' } });
      else if (r < 0.95)
        events.push({ type: 'add_to_cart', subject_id, session_id, item_id, quantity: 1, ts });
      else
        events.push({
          type: 'purchase',
          subject_id,
          session_id,
          ts,
          order_id: `ord_${sent + i}`,
          lines: [{ item_id, quantity: 1, price: 19.95 }],
        });
    }
    bodies.push(JSON.stringify({ events }));
  }
  return bodies;
}

async function benchStore(
  label: 'embedded' | 'postgres',
  env: Record<string, string>,
  opts: { events: number; batch: number; runs: number },
): Promise<Figures> {
  const runs: Figures[] = [];
  for (let run = 0; run < opts.runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-'));
    const config = parseConfig({ VITRINE_DATA_DIR: dir, ...env });
    const vitrine = await Vitrine.open(config, pino({ level: 'warn' }));
    try {
      const shop = await vitrine.createShop(`bench ${label} ${run}`);
      const app = createApp(vitrine);
      const auth = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
      const rt = await vitrine.shop(shop.shopId);
      const items = Array.from({ length: 2000 }, (_, i) => `sku-${i}`);
      // 1,000 subjects: 90 % chose a level with history (2), 10 % never opted in (dropped at the gate).
      const subjects: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const id = `sub_bench${run}x${i}`;
        subjects.push(id);
        if (i % 10 === 0) continue;
        const res = await app.request(`/v1/subjects/${id}/consent`, {
          method: 'PUT',
          headers: auth,
          body: JSON.stringify({ level: 2, notice_version: rt.notice.version, method: 'accept' }),
        });
        if (res.status !== 200) throw new Error(`consent failed: ${res.status} ${await res.text()}`);
      }
      const bodies = makeBatches(subjects, items, opts.events, opts.batch, Date.now());
      let accepted = 0;
      const t0 = performance.now();
      for (const body of bodies) {
        const res = await app.request('/v1/events', { method: 'POST', headers: auth, body });
        if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
        accepted += ((await res.json()) as { accepted: number }).accepted;
      }
      const secs = (performance.now() - t0) / 1000;

      // Baseline in the same process: the same number of rows straight into the store.
      const rows: EventRow[] = Array.from({ length: opts.events }, (_, i) => ({
        shopId: shop.shopId,
        id: `evt_base${run}_${i}`,
        subjectId: subjects[i % subjects.length]!,
        sessionId: `ses_base_${i % 3000}`,
        type: 'view',
        category: 'browsing',
        itemId: items[i % items.length]!,
        quantity: null,
        price: null,
        orderId: null,
        data: null,
        ts: Date.now() - i,
        expiresAt: Date.now() + 86_400_000,
        sessionScoped: false,
      }));
      const b0 = performance.now();
      for (let i = 0; i < rows.length; i += opts.batch)
        await vitrine.store.events.insert(rows.slice(i, i + opts.batch), []);
      const bsecs = (performance.now() - b0) / 1000;
      runs.push({
        events_per_s: opts.events / secs,
        accepted_per_s: accepted / secs,
        baseline_insert_rows_per_s: opts.events / bsecs,
      });
      console.log(
        `${label} run ${run + 1}: ${opts.events} events in ${secs.toFixed(2)} s (${Math.round(opts.events / secs)}/s, ${accepted} accepted); baseline insert ${Math.round(opts.events / bsecs)} rows/s`,
      );
    } finally {
      await vitrine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    events_per_s: Math.round(median(runs.map((r) => r.events_per_s))),
    accepted_per_s: Math.round(median(runs.map((r) => r.accepted_per_s))),
    baseline_insert_rows_per_s: Math.round(median(runs.map((r) => r.baseline_insert_rows_per_s))),
  };
}

export async function runIngest(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '200000' },
      batch: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '3' },
    },
  });
  const opts = { events: Number(values.events), batch: Number(values.batch), runs: Number(values.runs) };
  const results: Array<Record<string, unknown>> = [];
  const embedded = await benchStore('embedded', {}, opts);
  results.push({
    bench: 'ingest',
    store: 'embedded',
    durable: 'synchronous=FULL',
    batch: opts.batch,
    ...embedded,
  });
  const url = process.env.DATABASE_URL;
  if (url) {
    const pg = await benchStore(
      'postgres',
      { DATABASE_URL: url, VITRINE_SECRET: 'bench-secret-bench-secret-bench-secret' },
      opts,
    );
    results.push({ bench: 'ingest', store: 'postgres', batch: opts.batch, ...pg });
  }
  console.log(`\nmedian of ${opts.runs} runs, ${opts.events} events per run, batches of ${opts.batch}:`);
  for (const r of results) console.log(JSON.stringify(r));
}
