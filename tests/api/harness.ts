import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKey, MasterKeyring } from '@vitrine/identity';
import { loadDefaultPolicy } from '@vitrine/policy';
import { type CreatedShop, createApp, DEFAULT_LIMITS, type Limits, Vitrine } from '@vitrine/server';
import { openStore, type Store } from '@vitrine/storage';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import pino, { type Logger } from 'pino';

export type Driver = 'sqlite' | 'postgres';

/** The drivers the API suites run on: SQLite always, PostgreSQL whenever TEST_DATABASE_URL is set (CI sets it). */
export function drivers(): Driver[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI) throw new Error('CI must set TEST_DATABASE_URL so the PostgreSQL tests run');
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface Harness {
  driver: Driver;
  vitrine: Vitrine;
  app: ReturnType<typeof createApp>;
  shop: CreatedShop;
  other: CreatedShop;
  clock: { now: number };
  request(
    path: string,
    init?: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Every table of the store, every row, as one string: equal strings mean an unchanged store. */
  dump(): Promise<string>;
  close(): Promise<void>;
  /**
   * Runs SQL on the store's database directly, as someone with database access would: to walk
   * the schema, or to tamper with rows. `?` placeholders (turned into $1… for PostgreSQL).
   */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A new service on the same store, as after a restart (same secret, keys and clock). */
  restart(): Vitrine;
  /** The store's location: the data folder (SQLite) or the schema (PostgreSQL). */
  location: string;
}

export interface HarnessOptions {
  /** Body and rate limits of the app (default: the service's defaults). */
  limits?: Limits;
  /** The service's logger (default: silent). */
  log?: Logger;
  /** Turns the identity store on, with a fixed test master key (D3). */
  identity?: boolean;
}

/** A fixed master key for tests of the identity store (D3). */
export const TEST_KEYRING = new MasterKeyring(
  MasterKey.fromBytes(Buffer.from('vitrine-test-master-key-32-bytes')),
);
export const TEST_SECRET = 'test-secret-test-secret-test-secret-1234';

interface DriverStore {
  store: Store;
  dump: () => Promise<string>;
  location: string;
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  cleanup: () => Promise<void>;
}

/** Rows sorted as JSON text, tables by name: the same data gives the same string whatever the row order. */
function dumpOf(tables: Array<[string, unknown[]]>): string {
  const sorted = tables
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, rows]) => [name, rows.map((r) => JSON.stringify(r)).sort()]);
  return JSON.stringify(sorted);
}

async function openDriverStore(driver: Driver): Promise<DriverStore> {
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-api-'));
    const store = await openStore({ driver: 'sqlite', path: dir });
    let reader: SqliteDatabase.Database | undefined;
    return {
      store,
      location: dir,
      async sql(text, params = []) {
        const db = new SqliteDatabase(join(dir, 'vitrine.db'));
        try {
          db.pragma('busy_timeout = 5000');
          const stmt = db.prepare(text);
          if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
          stmt.run(...params);
          return [];
        } finally {
          db.close();
        }
      },
      dump: async () => {
        // A second connection reads what is committed (WAL), as another process would.
        reader ??= new SqliteDatabase(join(dir, 'vitrine.db'), { readonly: true });
        const names = reader
          .prepare<[], { name: string }>("select name from sqlite_master where type = 'table'")
          .all()
          .map((r) => r.name);
        return dumpOf(names.map((n) => [n, reader!.prepare(`select * from "${n}"`).all()]));
      },
      cleanup: async () => {
        reader?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openStore({ driver: 'postgres', url, schema });
  let reader: pg.Client | undefined;
  return {
    store,
    location: schema,
    async sql(text, params = []) {
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        let n = 0;
        return (
          await client.query(
            text.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows;
      } finally {
        await client.end();
      }
    },
    dump: async () => {
      if (!reader) {
        reader = new pg.Client({ connectionString: url });
        await reader.connect();
      }
      const { rows } = await reader.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'",
        [schema],
      );
      const tables: Array<[string, unknown[]]> = [];
      for (const { table_name } of rows)
        tables.push([table_name, (await reader.query(`select * from "${schema}"."${table_name}"`)).rows]);
      return dumpOf(tables);
    },
    cleanup: async () => {
      await reader?.end();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Limits high enough that no suite meets them by accident; tests of the limits set their own. */
export const TEST_LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  rate: {
    secret: { perSecond: 1e6, burst: 1e6 },
    public: { perSecond: 1e6, burst: 1e6 },
    subject: { perSecond: 1e6, burst: 1e6 },
  },
  rateLimitedDelayMs: 0,
};

/**
 * A running service on a fresh store with two shops, a controllable clock and an in-process HTTP
 * client. `identity: true` turns the identity store on (a fixed test master key).
 */
export async function openHarness(driver: Driver, opts: HarnessOptions = {}): Promise<Harness> {
  const { store, dump, cleanup, sql, location } = await openDriverStore(driver);
  await store.migrate();
  const clock = { now: Date.parse('2026-11-23T10:00:00Z') };
  const make = () =>
    new Vitrine({
      store,
      log: opts.log ?? pino({ level: 'silent' }),
      secret: TEST_SECRET,
      defaultPolicy: loadDefaultPolicy(),
      now: () => clock.now,
      ...(opts.identity ? { masterKeyring: TEST_KEYRING } : {}),
    });
  const vitrine = make();
  const shop = await vitrine.createShop('Testshop');
  const other = await vitrine.createShop('Anderer Shop');
  const app = createApp(vitrine, { limits: opts.limits ?? TEST_LIMITS });
  return {
    driver,
    vitrine,
    app,
    shop,
    other,
    clock,
    dump,
    sql,
    location,
    restart: make,
    async request(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.request(path, {
        method: init.method ?? (body ? 'POST' : 'GET'),
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await vitrine.close();
      await cleanup();
    },
  };
}

/** Gives a subject the given level on the current notice. */
export async function consentTo(
  h: Harness,
  subject: string,
  level: 0 | 1 | 2 | 3,
  key = h.shop.secretKey,
  extra: Record<string, unknown> = {},
) {
  const rt = await h.vitrine.shop(key === h.shop.secretKey ? h.shop.shopId : h.other.shopId);
  const r = await h.request(`/v1/subjects/${subject}/consent`, {
    method: 'PUT',
    key,
    body: { level, notice_version: rt.notice.version, language: 'de', method: 'accept', ...extra },
  });
  if (r.status !== 200) throw new Error(`consent failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
