import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers } from '../api/harness';
import { consentOver, createShopByCli, type DataPlace, dataPlace, http, startServer } from './support';

/** Rows of the place's database, read from outside the server. */
async function query(place: DataPlace, sql: string): Promise<Record<string, unknown>[]> {
  if (place.driver === 'sqlite') {
    const db = new SqliteDatabase(join(place.dir!, 'vitrine.db'), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: place.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const BATCH = 50;

describe.each(drivers())('crash safety: SIGKILL mid-stream (#11, %s)', (driver) => {
  let place: DataPlace;
  beforeAll(async () => {
    place = await dataPlace(driver, { LOG_LEVEL: 'error' });
  });
  afterAll(() => place.cleanup());

  it('every event answered 2xx before the kill is stored exactly once; every batch is all or nothing', async () => {
    const shop = await createShopByCli(place.env, 'Absturz');
    let server = await startServer(place.env);
    await consentOver(server.base, shop.secretKey, 'sub_crash', 2);

    // Each event carries its own session id (`b<batch>-<i>`) and no event id: nothing but the
    // store's transaction keeps a batch from being stored twice or in part.
    const acked = new Set<number>();
    const sent = new Set<number>();
    let next = 0;
    let stop = false;
    const sender = async () => {
      while (!stop) {
        const b = next++;
        sent.add(b);
        const events = Array.from({ length: BATCH }, (_, i) => ({
          type: 'view',
          subject_id: 'sub_crash',
          session_id: `b${b}-${i}`,
          item_id: `sku-${i}`,
        }));
        const r = await http(server.base, '/v1/events', { key: shop.secretKey, body: { events } }).catch(
          () => null,
        );
        if (r === null) return; // the server is gone
        if (r.status === 200 && r.body.accepted === BATCH) acked.add(b);
        else throw new Error(`unexpected answer ${r.status} ${JSON.stringify(r.body)}`);
      }
    };
    const senders = Array.from({ length: 6 }, sender);
    while (acked.size < 30) await new Promise((resolve) => setTimeout(resolve, 10));
    await server.kill(); // SIGKILL, with requests in flight
    stop = true;
    await Promise.all(senders);
    const inFlight = [...sent].filter((b) => !acked.has(b));
    expect(inFlight.length).toBeGreaterThan(0);

    server = await startServer(place.env);
    try {
      expect((await http(server.base, '/readyz')).body.status).toBe('ready');
      const rows = await query(place, 'select session_id, count(*) as n from events group by session_id');
      const counts = new Map(rows.map((r) => [String(r.session_id), Number(r.n)]));
      const batches = new Map<number, number>();
      for (const [session, n] of counts) {
        expect(n, `event ${session} stored ${n} times`).toBe(1);
        const b = Number(session.slice(1, session.indexOf('-')));
        batches.set(b, (batches.get(b) ?? 0) + 1);
      }
      for (const b of acked) expect(batches.get(b), `acknowledged batch ${b}`).toBe(BATCH);
      // An unacknowledged batch is there whole or not at all.
      for (const b of inFlight) expect([0, BATCH]).toContain(batches.get(b) ?? 0);
      for (const b of batches.keys()) expect(sent.has(b)).toBe(true);
      // Each stored event's session row is there too (written in the same transaction).
      const orphans = await query(
        place,
        'select count(*) as n from events e where not exists (select 1 from sessions s where s.shop_id = e.shop_id and s.subject_id = e.subject_id and s.id = e.session_id)',
      );
      expect(Number(orphans[0]!.n)).toBe(0);
      console.log(
        `crash (${driver}): ${acked.size} batches acknowledged before SIGKILL, all stored once; ${inFlight.length} in flight: ${inFlight.filter((b) => batches.has(b)).length} stored whole, the rest not at all`,
      );
      // And the restarted service takes new events.
      const after = await http(server.base, '/v1/events', {
        key: shop.secretKey,
        body: { events: [{ type: 'view', subject_id: 'sub_crash', session_id: 'after', item_id: 'sku-1' }] },
      });
      expect(after.body).toMatchObject({ accepted: 1 });
    } finally {
      await server.stop();
    }
  }, 90_000);
});
