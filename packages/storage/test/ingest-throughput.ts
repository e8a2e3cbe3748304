/**
 * Ingest throughput of `insertEvents` alone (a check to run by hand, not a timed test):
 * prints rows/s for durable batches into a fresh store, three runs and their median. Each
 * batch touches one session per event (the worst case); `--events-only` touches none.
 *
 *   npx tsx packages/storage/test/ingest-throughput.ts sqlite [--events-only]
 *   npx tsx packages/storage/test/ingest-throughput.ts postgres postgres://postgres@127.0.0.1:5432/test
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type EventRow, openStore, type SessionRow, type Store } from '../src/index';

const TOTAL = 200_000;
const BATCH = 5_000;
const SUBJECTS = 20_000;
const YEAR = 365 * 24 * 3600 * 1000;
const EVENTS_ONLY = process.argv.includes('--events-only');

const randomId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').slice(0, 16)}`;

/** View events of many subjects; one in five subjects is at level 1 (session-scoped). */
function makeBatches(shopId: string): { events: EventRow[]; sessions: SessionRow[] }[] {
  const t0 = Date.now();
  const batches = [];
  for (let b = 0; b < TOTAL / BATCH; b++) {
    const events: EventRow[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const subject = n % SUBJECTS;
      const ts = t0 + n;
      const scoped = subject % 5 === 0;
      events.push({
        shopId,
        id: randomId('evt'),
        subjectId: `sub_${subject}`,
        sessionId: `ses_${subject}_${Math.floor(n / 50_000)}`,
        type: 'view',
        category: 'browsing',
        itemId: `item_${(n * 7919) % 10_000}`,
        quantity: null,
        price: null,
        orderId: null,
        data: '{"page":"/p/123","device":"mobile"}',
        ts,
        expiresAt: scoped ? null : ts + YEAR,
        sessionScoped: scoped,
      });
    }
    const sessions = EVENTS_ONLY
      ? []
      : events.map((e) => ({ shopId, id: e.sessionId, subjectId: e.subjectId, lastSeen: e.ts }));
    batches.push({ events, sessions });
  }
  return batches;
}

async function measure(store: Store): Promise<number> {
  await store.migrate();
  const shopId = randomId('shop');
  await store.shops.create({ id: shopId, name: 'Bench', policy: '{}', createdAt: Date.now(), origins: [] });
  const batches = makeBatches(shopId);
  const start = performance.now();
  let inserted = 0;
  for (const { events, sessions } of batches) inserted += await store.events.insert(events, sessions);
  const seconds = (performance.now() - start) / 1000;
  if (inserted !== TOTAL) throw new Error(`inserted ${inserted} of ${TOTAL}`);
  return TOTAL / seconds;
}

async function runPostgres(url: string): Promise<number> {
  const schema = `vitrine_bench_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ driver: 'postgres', url, schema });
  try {
    return await measure(store);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema "${schema}" cascade`);
    await client.end();
  }
}

async function runSqlite(): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), 'vitrine-bench-'));
  const store = await openStore({ driver: 'sqlite', path: folder });
  try {
    return await measure(store);
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

const [driver = 'sqlite', url] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (driver === 'postgres' && !url) throw new Error('usage: ingest-throughput.ts postgres <url>');
const rates: number[] = [];
for (let run = 1; run <= 3; run++) {
  const rate = url ? await runPostgres(url) : await runSqlite();
  rates.push(rate);
  console.log(`${driver} run ${run}: ${Math.round(rate).toLocaleString('en')} rows/s`);
}
const median = [...rates].sort((a, b) => a - b)[1] ?? 0;
console.log(
  `${driver}: median ${Math.round(median).toLocaleString('en')} rows/s ` +
    `(${TOTAL.toLocaleString('en')} events in batches of ${BATCH.toLocaleString('en')})`,
);
