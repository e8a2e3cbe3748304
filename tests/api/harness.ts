import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy } from '@vitrine/policy';
import { type CreatedShop, createApp, Vitrine } from '@vitrine/server';
import { openStore, type Store } from '@vitrine/storage';
import pg from 'pg';
import pino from 'pino';

export type Driver = 'sqlite' | 'postgres';

/** The drivers the API suites run on: SQLite always, PostgreSQL whenever TEST_DATABASE_URL is set (CI sets it). */
export function drivers(): Driver[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI) throw new Error('CI must set TEST_DATABASE_URL so the PostgreSQL tests run');
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface Harness {
  vitrine: Vitrine;
  app: ReturnType<typeof createApp>;
  shop: CreatedShop;
  other: CreatedShop;
  clock: { now: number };
  request(
    path: string,
    init?: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

async function openDriverStore(driver: Driver): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-api-'));
    return {
      store: await openStore({ driver: 'sqlite', path: dir }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openStore({ driver: 'postgres', url, schema });
  return {
    store,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** A running service on a fresh store with two shops, a controllable clock and an in-process HTTP client. */
export async function openHarness(driver: Driver): Promise<Harness> {
  const { store, cleanup } = await openDriverStore(driver);
  await store.migrate();
  const clock = { now: Date.parse('2026-11-23T10:00:00Z') };
  const vitrine = new Vitrine({
    store,
    log: pino({ level: 'silent' }),
    secret: 'test-secret-test-secret-test-secret-1234',
    defaultPolicy: loadDefaultPolicy(),
    now: () => clock.now,
  });
  const shop = await vitrine.createShop('Testshop');
  const other = await vitrine.createShop('Anderer Shop');
  const app = createApp(vitrine);
  return {
    vitrine,
    app,
    shop,
    other,
    clock,
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
      return { status: res.status, body: parsed };
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
