import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPolicyPath, loadDefaultPolicy } from '@vitrine/policy';
import { createApp, Vitrine } from '@vitrine/server';
import type { Store, TransactionRepositories } from '@vitrine/storage';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from '../api/harness';
import { cli, createShopByCli, type DataPlace, dataPlace, http, startServer } from './support';

/** A policy as a shop might have stored it before the refusal of built-in names: `constructor` as a category. */
function hostilePolicyJson(): string {
  const policy = JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
  policy.events.view.category = 'constructor';
  return JSON.stringify(policy);
}

describe.each(drivers())('one bad shop never stops the others (#11, %s)', (driver) => {
  let h: Harness;
  let v2: Vitrine;
  let app: ReturnType<typeof createApp>;
  const logged: string[] = [];
  beforeAll(async () => {
    h = await openHarness(driver);
    await consentTo(h, 'sub_other', 2, h.other.secretKey);
    // The stored policy goes bad behind the service's back (an old version, a manual edit).
    await h.vitrine.store.shops.updatePolicy(h.shop.shopId, hostilePolicyJson());
    // A restart on that store: a second service over the same database.
    v2 = new Vitrine({
      store: h.vitrine.store,
      log: pino({ level: 'error' }, { write: (line: string) => logged.push(line) }),
      secret: 'test-secret-test-secret-test-secret-1234',
      defaultPolicy: loadDefaultPolicy(),
      now: () => h.clock.now,
    });
    app = createApp(v2);
  });
  afterAll(async () => {
    await v2.idle();
    await h.close();
  });

  const call = async (path: string, key?: string, init: RequestInit = {}) => {
    const res = await app.request(path, {
      ...init,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) },
    });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as any };
  };

  it('the start goes on: the bad shop is logged and listed by /readyz with the reason; the others are loaded', async () => {
    const { loaded, unavailable } = await v2.loadAllShops();
    expect(loaded.map((rt) => rt.shop.id)).toEqual([h.other.shopId]);
    expect(unavailable).toMatchObject([{ shop: h.shop.shopId }]);
    const ready = await call('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'degraded',
      store: { reachable: true },
      shops: { loaded: 1, unavailable: [{ shop: h.shop.shopId }] },
    });
    expect(ready.body.shops.unavailable[0].reason).toMatch(/events\.view\.category.*constructor/);
    expect(logged.join('')).toContain(h.shop.shopId);
    expect(logged.join('')).toMatch(/shop cannot be loaded/);
  });

  it("the bad shop's routes answer 503 shop_unavailable with Retry-After, with either key and for its documents", async () => {
    const requests: Array<[string, string | undefined, RequestInit?]> = [
      ['/v1/notice', h.shop.secretKey],
      ['/v1/notice', h.shop.publicKey],
      ['/v1/recommendations?scenario=trending', h.shop.secretKey],
      ['/v1/subjects', h.shop.publicKey, { method: 'POST' }],
      [
        '/v1/events',
        h.shop.secretKey,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            events: [{ type: 'view', subject_id: 'sub_x', session_id: 's', item_id: 'i' }],
          }),
        },
      ],
      [`/s/${h.shop.shopId}/privacy`, undefined],
      [`/s/${h.shop.shopId}/record-of-processing.json`, undefined],
    ];
    const before = await h.dump();
    for (const [path, key, init] of requests) {
      const r = await call(path, key, init);
      expect(r.status, path).toBe(503);
      expect(r.body.error.code).toBe('shop_unavailable');
      expect(r.body.error.message).toMatch(/other shops are not affected/);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(await h.dump()).toBe(before);
  });

  it('every other shop serves', async () => {
    expect((await call('/v1/notice', h.other.secretKey)).status).toBe(200);
    expect((await call('/v1/notice', h.other.publicKey)).status).toBe(200);
    expect((await call('/v1/recommendations?scenario=trending', h.other.secretKey)).status).toBe(200);
    expect((await call(`/s/${h.other.shopId}/privacy`)).status).toBe(200);
    expect((await call('/healthz')).status).toBe(200);
  });

  it('putting a valid policy in force mends the shop at once', async () => {
    await v2.updatePolicy(h.shop.shopId, loadDefaultPolicy());
    expect((await call('/v1/notice', h.shop.secretKey)).status).toBe(200);
    const ready = await call('/readyz');
    expect(ready.body).toMatchObject({ status: 'ready', shops: { unavailable: [] } });
  });
});

describe.each(drivers())('creating a shop is one transaction (#11, %s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
  });
  afterAll(() => h.close());

  /** Makes the notice write inside every transaction fail, as a full disk or a lost connection would. */
  const failingNotices = (store: Store) => {
    const real = store.transaction.bind(store);
    store.transaction = <T>(work: (tx: TransactionRepositories) => Promise<T>) =>
      real((tx) =>
        work({
          ...tx,
          notices: Object.assign(Object.create(tx.notices) as TransactionRepositories['notices'], {
            put: async () => {
              throw new Error('injected: the notice could not be written');
            },
          }),
        }),
      );
    return () => {
      store.transaction = real;
    };
  };

  it('a failure after the shop row and keys were written leaves nothing: no shop, no keys, no notice', async () => {
    const before = await h.dump();
    const restore = failingNotices(h.vitrine.store);
    try {
      await expect(h.vitrine.createShop('Halbfertig')).rejects.toThrow(/injected/);
    } finally {
      restore();
    }
    expect(await h.dump()).toBe(before);
    expect((await h.vitrine.store.shops.list()).map((s) => s.name)).not.toContain('Halbfertig');
  });

  it('a policy that cannot be loaded is refused before anything is written', async () => {
    const before = await h.dump();
    const policy = JSON.parse(hostilePolicyJson());
    await expect(h.vitrine.createShop('Konstruktor', policy)).rejects.toThrow(/constructor/);
    expect(await h.dump()).toBe(before);
  });
});

describe.each(drivers())('the vitrine command and a bad shop (#11, %s)', (driver) => {
  let place: DataPlace;
  beforeAll(async () => {
    place = await dataPlace(driver);
  });
  afterAll(() => place.cleanup());

  /** SQL on the place's database, from the test. */
  const sql = async (statement: string): Promise<unknown[]> => {
    if (driver === 'sqlite') {
      const db = new SqliteDatabase(join(place.dir!, 'vitrine.db'));
      try {
        const stmt = db.prepare(statement);
        if (stmt.reader) return stmt.all();
        stmt.run();
        return [];
      } finally {
        db.close();
      }
    }
    const c = new pg.Client({ connectionString: place.url });
    await c.connect();
    try {
      return (await c.query(statement)).rows;
    } finally {
      await c.end();
    }
  };
  const counts = async () =>
    JSON.stringify(
      await sql(
        'select (select count(*) from shops) as shops, (select count(*) from api_keys) as keys, (select count(*) from notices) as notices',
      ),
    );

  it('shop create: a failing write leaves no shop, no keys, no notice, and says so without a stack trace', async () => {
    const first = await createShopByCli(place.env, 'Erster Shop');
    expect(first.shopId).toMatch(/^shop_/);
    const before = await counts();
    if (driver === 'sqlite') {
      await sql(
        "create trigger notices_fail before insert on notices begin select raise(abort, 'injected failure'); end",
      );
    } else {
      await sql(
        "create function notices_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$",
      );
      await sql(
        'create trigger notices_fail before insert on notices for each row execute function notices_fail()',
      );
    }
    const r = await cli(place.env, 'shop', 'create', 'Zweiter Shop');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Could not store the notice/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await counts()).toBe(before);
    await sql(driver === 'sqlite' ? 'drop trigger notices_fail' : 'drop trigger notices_fail on notices');
  });

  it('serve: starts with a shop whose stored policy is bad, serves the others, and /readyz names it', async () => {
    const good = await createShopByCli(place.env, 'Guter Shop');
    const [{ id: bad }] = (await sql("select id from shops where name = 'Erster Shop'")) as [{ id: string }];
    const policy = hostilePolicyJson().replaceAll("'", "''");
    await sql(`update shops set policy = '${policy}' where id = '${bad}'`);
    const server = await startServer(place.env);
    try {
      const ready = await http(server.base, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.shops.unavailable).toMatchObject([{ shop: bad }]);
      expect((await http(server.base, '/v1/notice', { key: good.secretKey })).status).toBe(200);
      expect(server.output()).toMatch(/cannot be served/);
    } finally {
      await server.stop();
    }
  });
});
