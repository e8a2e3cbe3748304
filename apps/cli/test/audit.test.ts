import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type AuditEntry, entryHashHex, exportPublicKey, generateAuditKeys, nextEntry } from '@vitrine/audit';
import { createApp, parseConfig, Vitrine } from '@vitrine/server';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');
const EXAMPLE = join(ROOT, 'packages/audit/examples/verify-proof.mjs');
const SECRET = 'cli-audit-secret-cli-audit-secret-0123';
const dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Env = NodeJS.ProcessEnv;

async function cli(env: Env, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(TSX, [MAIN, ...args], { env, cwd: ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A shop with a real audit log: consents, an export, an erasure; a checkpoint over all of it. */
async function seed(env: Env): Promise<{ shopId: string; record: string; erasure: string }> {
  const vitrine = await Vitrine.open(parseConfig(env));
  try {
    const shop = await vitrine.createShop('Audit-Shop');
    const app = createApp(vitrine);
    const call = async (path: string, method: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as any;
    };
    const notice = await call('/v1/notice', 'GET');
    const given = await call('/v1/subjects/sub_audit1/consent', 'PUT', {
      level: 2,
      notice_version: notice.version,
      method: 'accept',
    });
    await call('/v1/subjects/sub_audit2/consent', 'PUT', { level: 1, notice_version: notice.version });
    await call('/v1/subjects/sub_audit1/export', 'GET');
    const erased = await call('/v1/subjects/sub_audit2', 'DELETE');
    await vitrine.audit.checkpoint(shop.shopId);
    return { shopId: shop.shopId, record: given.record.id, erasure: erased.erasure_id };
  } finally {
    await vitrine.close();
  }
}

interface Store {
  name: string;
  /** Makes the empty store the seed goes into. */
  init(): Promise<void>;
  /** A fresh copy of the seeded store: its environment, and SQL on it. */
  copy(): Promise<{ env: Env; sql: (text: string, params?: unknown[]) => Promise<any[]> }>;
}

const baseEnv: Env = { ...process.env, LOG_LEVEL: 'silent', VITRINE_SECRET: SECRET };
delete baseEnv.DATABASE_URL;

function sqliteStore(): Store & { seedEnv: Env } {
  const data = join(dir, 'sqlite');
  let n = 0;
  return {
    name: 'sqlite',
    seedEnv: { ...baseEnv, VITRINE_DATA_DIR: data },
    async init() {},
    async copy() {
      const to = join(dir, `sqlite-${++n}`);
      cpSync(data, to, { recursive: true });
      return {
        env: { ...baseEnv, VITRINE_DATA_DIR: to },
        async sql(text, params = []) {
          const db = new Database(join(to, 'vitrine.db'));
          try {
            const stmt = db.prepare(text);
            if (stmt.reader) return stmt.all(...params);
            stmt.run(...params);
            return [];
          } finally {
            db.close();
          }
        },
      };
    },
  };
}

/** PostgreSQL: each copy is a schema, reached through the URL's search_path option. */
function postgresStore(url: string): Store & { seedEnv: Env } {
  const schema = (name: string) => `cli_audit_${process.pid}_${name}`;
  const envOf = (s: string): Env => ({
    ...baseEnv,
    DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${s}`)}`,
  });
  const query = async (s: string, text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${s}` });
    await client.connect();
    try {
      let i = 0;
      return (
        await client.query(
          text.replace(/\?/g, () => `$${++i}`),
          params,
        )
      ).rows;
    } finally {
      await client.end();
    }
  };
  let n = 0;
  const made: string[] = [];
  afterAll(async () => {
    for (const s of made) await query('public', `drop schema if exists ${s} cascade`);
  });
  const seedSchema = schema('seed');
  made.push(seedSchema);
  return {
    name: 'postgres',
    get seedEnv() {
      return envOf(seedSchema);
    },
    async init() {
      await query('public', `create schema if not exists ${seedSchema}`);
    },
    async copy() {
      const to = schema(String(++n));
      made.push(to);
      await query('public', `create schema ${to}`);
      // Same tables, same rows: the migrations' own tables included.
      const tables = await query(
        'public',
        'select table_name from information_schema.tables where table_schema = ?',
        [seedSchema],
      );
      for (const { table_name: t } of tables) {
        await query('public', `create table ${to}.${t} (like ${seedSchema}.${t} including all)`);
        await query('public', `insert into ${to}.${t} select * from ${seedSchema}.${t}`);
      }
      return { env: envOf(to), sql: (text, params) => query(to, text, params) };
    },
  };
}

const stores: (Store & { seedEnv: Env })[] = [sqliteStore()];
if (process.env.TEST_DATABASE_URL) stores.push(postgresStore(process.env.TEST_DATABASE_URL));

describe.each(stores)('vitrine audit on a real store ($name)', (store) => {
  let seeded: { shopId: string; record: string; erasure: string };
  let publicKey: string;

  beforeAll(async () => {
    await store.init();
    seeded = await seed(store.seedEnv);
    const exported = await cli(store.seedEnv, 'audit', 'export', '--shop', seeded.shopId);
    publicKey = JSON.parse(exported.stdout).public_key;
  });

  it('D5: verify passes on an untouched log, checked against the published key', async () => {
    const r = await cli(
      store.seedEnv,
      'audit',
      'verify',
      '--shop',
      seeded.shopId,
      '--key',
      publicKey,
      '--lang',
      'en',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/entries/);
  });

  /** Each tampering on a fresh copy; verify must exit 1 and name the entry. */
  const cases: [string, (sql: (t: string, p?: unknown[]) => Promise<any[]>) => Promise<void>, RegExp][] = [
    [
      'changed',
      async (sql) => {
        await sql('update audit_entries set ts = ts + 1 where seq = 2');
      },
      /^entry 2 was changed: its hash no longer matches/,
    ],
    [
      'removed',
      async (sql) => {
        await sql('delete from audit_entries where seq = 3');
      },
      /^entry 3 was removed: entry 2 is followed by entry 4/,
    ],
    [
      'inserted',
      async (sql) => {
        // Room at seq 3 (the rest renumbered), then a forged entry there that links to entry 2.
        await sql('update audit_entries set seq = seq + 1000 where seq >= 3');
        await sql('update audit_entries set seq = seq - 999 where seq >= 1000');
        const [row] = await sql('select * from audit_entries where seq = 2');
        const two: AuditEntry = {
          seq: Number(row.seq),
          ts: Number(row.ts),
          shop_id: row.shop_id,
          kind: row.kind,
          subject: row.subject,
          data: JSON.parse(row.data),
          prev: row.prev,
        };
        const forged = nextEntry(two.shop_id, two, {
          kind: 'consent_change',
          ts: two.ts + 1,
          data: { level: 0 },
        });
        expect(forged.prev).toBe(entryHashHex(two));
        await sql(
          'insert into audit_entries (shop_id, seq, ts, kind, subject, data, prev) values (?, ?, ?, ?, ?, ?, ?)',
          [
            forged.shop_id,
            forged.seq,
            forged.ts,
            forged.kind,
            null,
            JSON.stringify(forged.data),
            forged.prev,
          ],
        );
      },
      // The forged entry links to entry 2; the renumbered original after it no longer does.
      /^the hash chain breaks from entry 4 on/,
    ],
    [
      'reordered',
      async (sql) => {
        await sql('update audit_entries set seq = -1 where seq = 3');
        await sql('update audit_entries set seq = 3 where seq = 4');
        await sql('update audit_entries set seq = 4 where seq = -1');
      },
      /^the hash chain breaks from entry 3 on/,
    ],
  ];
  for (const [what, tamper, names] of cases) {
    it(`D5: verify exits 1 and names the entry when one was ${what}`, async () => {
      const copy = await store.copy();
      await tamper(copy.sql);
      const r = await cli(
        copy.env,
        'audit',
        'verify',
        '--shop',
        seeded.shopId,
        '--key',
        publicKey,
        '--lang',
        'en',
      );
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toMatch(names);
      if (what === 'changed') {
        const de = await cli(copy.env, 'audit', 'verify', '--shop', seeded.shopId, '--key', publicKey);
        expect(de.code).toBe(1);
        expect(de.stderr).toMatch(/^Eintrag 2 wurde geändert/);
      }
    });
  }

  it('D5: prove gives the inclusion proof of a consent record and an erasure; it checks offline, with Node alone', async () => {
    for (const flag of [
      ['--record', seeded.record],
      ['--erasure', seeded.erasure],
    ]) {
      const r = await cli(store.seedEnv, 'audit', 'prove', '--shop', seeded.shopId, ...flag);
      expect(r.code, r.stderr).toBe(0);
      const proof = JSON.parse(r.stdout);
      expect(proof.format).toBe('vitrine-audit-inclusion/1');
      const file = join(dir, `proof-${store.name}-${flag[0]!.slice(2)}.json`);
      writeFileSync(file, r.stdout);
      const checked = await cli(
        store.seedEnv,
        'audit',
        'check-proof',
        file,
        '--key',
        publicKey,
        '--lang',
        'en',
      );
      expect(checked.code, checked.stderr).toBe(0);
      const offline = await run('node', [EXAMPLE, file, publicKey]);
      expect(offline.stdout).toMatch(/^verified: entry \d+ is in the log/);
      expect(offline.stdout).toContain(flag[1]!);
    }
    const none = await cli(
      store.seedEnv,
      'audit',
      'prove',
      '--shop',
      seeded.shopId,
      '--record',
      'cns_nothere',
    );
    expect(none.code).toBe(2);
  });

  it('D5: an exported log verifies offline; a wrong key does not', async () => {
    const exported = await cli(store.seedEnv, 'audit', 'export', '--shop', seeded.shopId);
    const file = join(dir, `log-${store.name}.json`);
    writeFileSync(file, exported.stdout);
    expect((await cli(store.seedEnv, 'audit', 'verify', '--file', file)).code).toBe(0);
    const other = JSON.parse(exported.stdout);
    other.public_key = exportPublicKey(generateAuditKeys().publicKey).base64;
    writeFileSync(file, JSON.stringify(other));
    const bad = await cli(store.seedEnv, 'audit', 'verify', '--file', file, '--lang', 'en');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/checkpoint 1/);
  });
});
