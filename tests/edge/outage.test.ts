import { openStore } from '@vitrine/storage';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseProxy } from './proxy';
import {
  consentOver,
  createShopByCli,
  type DataPlace,
  dataPlace,
  http,
  type RunningServer,
  startServer,
} from './support';

const url = process.env.TEST_DATABASE_URL;
if (!url && process.env.CI) throw new Error('CI must set TEST_DATABASE_URL so the database outage test runs');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  batch: number;
  at: number;
  ms: number;
  status: number;
  retryAfter: string | null;
  code?: string;
}

describe.skipIf(!url)('a database outage (#11, postgres through a TCP proxy the test cuts)', () => {
  let place: DataPlace;
  let proxy: DatabaseProxy;
  let server: RunningServer;
  let shop: { secretKey: string };
  beforeAll(async () => {
    place = await dataPlace('postgres', { LOG_LEVEL: 'fatal' });
    shop = await createShopByCli(place.env, 'Ausfall');
    const real = new URL(place.url!);
    proxy = await DatabaseProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(real);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startServer({ ...place.env, DATABASE_URL: viaProxy.toString() });
    await consentOver(server.base, shop.secretKey, 'sub_outage', 2);
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await place?.cleanup();
  });

  it('requests answer 503 with Retry-After within 1 s, the service recovers by itself, no acknowledged event is lost', async () => {
    const t0 = performance.now();
    const answers: Answer[] = [];
    const acked = new Set<number>();
    let next = 0;
    let running = true;

    // A client that sends event batches, each under its own Idempotency-Key, and sends a batch
    // again (same key) until it is acknowledged — as a client should after a 503.
    const client = async () => {
      while (running) {
        const batch = next++;
        const events = Array.from({ length: 10 }, (_, i) => ({
          type: 'view',
          subject_id: 'sub_outage',
          session_id: `b${batch}-${i}`,
          item_id: `sku-${i}`,
        }));
        for (;;) {
          const start = performance.now();
          const r = await http(server.base, '/v1/events', {
            key: shop.secretKey,
            body: { events },
            headers: { 'idempotency-key': `batch-${batch}` },
            signal: AbortSignal.timeout(10_000),
          });
          answers.push({
            batch,
            at: start - t0,
            ms: performance.now() - start,
            status: r.status,
            retryAfter: r.headers.get('retry-after'),
            code: r.body?.error?.code,
          });
          if (r.status === 200) {
            acked.add(batch);
            break;
          }
          if (!running && r.status !== 200) break;
          await sleep(100);
        }
      }
    };
    const clients = Array.from({ length: 3 }, client);

    const phases: Record<string, { from: number; to: number }> = {};
    const phase = async (name: string, ms: number, action?: () => void) => {
      action?.();
      const from = performance.now() - t0;
      await sleep(ms);
      phases[name] = { from, to: performance.now() - t0 };
    };
    await phase('before', 1_000);
    const ready = { blackhole: 0, reset: 0 };
    await phase('blackhole', 3_000, () => proxy.cut('blackhole'));
    ready.blackhole = (await http(server.base, '/readyz')).status;
    const health = await http(server.base, '/healthz');
    await phase('recovery1', 3_000, () => proxy.restore());
    await phase('reset', 2_000, () => proxy.cut('reset'));
    ready.reset = (await http(server.base, '/readyz')).status;
    await phase('recovery2', 3_000, () => proxy.restore());
    running = false;
    await Promise.all(clients);

    const inPhase = (name: string) =>
      answers.filter((a) => a.at >= phases[name]!.from + 50 && a.at + a.ms <= phases[name]!.to);
    const refused = answers.filter((a) => a.status !== 200);
    const figures = {
      requests: answers.length,
      acknowledged: acked.size,
      refusals: refused.length,
      maxRefusalMs: Math.round(Math.max(...refused.map((a) => a.ms))),
      perPhase: Object.fromEntries(
        Object.keys(phases).map((name) => {
          const xs = inPhase(name);
          return [
            name,
            {
              ok: xs.filter((a) => a.status === 200).length,
              refused: xs.filter((a) => a.status !== 200).length,
              maxMs: Math.round(Math.max(0, ...xs.map((a) => a.ms))),
            },
          ];
        }),
      ),
      firstOkAfterRestore: ['recovery1', 'recovery2'].map((name) => {
        const ok = answers.find((a) => a.status === 200 && a.at >= phases[name]!.from);
        return ok === undefined ? null : Math.round(ok.at + ok.ms - phases[name]!.from);
      }),
    };
    console.log(`outage figures: ${JSON.stringify(figures)}`);

    // While the database is unreachable: 503 unavailable with Retry-After, each within 1 s.
    for (const name of ['blackhole', 'reset']) {
      const xs = inPhase(name);
      expect(xs.length, name).toBeGreaterThan(3);
      for (const a of xs) {
        expect(a.status, `${name} at ${Math.round(a.at)} ms`).toBe(503);
        expect(a.code).toBe('unavailable');
        expect(a.retryAfter).toMatch(/^\d+$/);
        expect(a.ms, `${name} answered after ${Math.round(a.ms)} ms`).toBeLessThan(1_000);
      }
    }
    expect(ready).toEqual({ blackhole: 503, reset: 503 });
    expect(health.status).toBe(200);
    // The service came back by itself, each time.
    expect(figures.firstOkAfterRestore.every((ms) => ms !== null && ms < 2_500)).toBe(true);
    expect(inPhase('recovery2').at(-1)?.status).toBe(200);
    expect((await http(server.base, '/readyz')).status).toBe(200);

    // No acknowledged event lost, none stored twice (retries went under the same key).
    const c = new pg.Client({ connectionString: place.url });
    await c.connect();
    const { rows } = await c.query<{ session_id: string; n: string }>(
      'select session_id, count(*) as n from events group by session_id',
    );
    await c.end();
    const stored = new Map(rows.map((r) => [r.session_id, Number(r.n)]));
    for (const n of stored.values()) expect(n).toBe(1);
    for (const b of acked)
      for (let i = 0; i < 10; i++) expect(stored.get(`b${b}-${i}`), `b${b}-${i}`).toBe(1);
  }, 90_000);

  it('a connection lost during a query fails that query as unavailable; the process goes on and reconnects', async () => {
    const real = new URL(place.url!);
    const own = await DatabaseProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(real);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(own.port);
    const store = await openStore({ driver: 'postgres', url: viaProxy.toString(), queryTimeoutMs: 10_000 });
    try {
      expect((await store.shops.list()).length).toBe(1);
      own.cut('blackhole');
      const inFlight = store.shops.list();
      await sleep(200);
      // The checked-out connection dies under the query: without a listener for that, pg's
      // 'error' event would end this process (and with it this test).
      own.cut('reset');
      await expect(inFlight).rejects.toMatchObject({ name: 'StorageError', code: 'unavailable' });
      await sleep(100);
      own.restore();
      expect((await store.shops.list()).length).toBe(1);
    } finally {
      await store.close();
      await own.close();
    }
  });
});
