import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Driver } from '../api/harness';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TSX = join(ROOT, 'node_modules/.bin/tsx');
export const MAIN = join(ROOT, 'apps/cli/src/main.ts');

const run = promisify(execFile);

/** Where a child process keeps its data: a temp folder, or a fresh PostgreSQL database. */
export interface DataPlace {
  driver: Driver;
  /** The environment that points the `vitrine` command at it. */
  env: NodeJS.ProcessEnv;
  /** For PostgreSQL: the database's URL (to query it from the test). */
  url?: string;
  /** For SQLite: the data folder. */
  dir?: string;
  cleanup(): Promise<void>;
}

const SECRET = 'edge-test-secret-edge-test-secret-0123456789';

/** A fresh database on the test server (TEST_DATABASE_URL), dropped by `cleanup`. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `vitrine_edge_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function dataPlace(driver: Driver, extra: NodeJS.ProcessEnv = {}): Promise<DataPlace> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  delete env.DATABASE_URL;
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-edge-'));
    return {
      driver,
      dir,
      env: { ...env, VITRINE_DATA_DIR: dir },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const db = await freshDatabase();
  return {
    driver,
    url: db.url,
    env: { ...env, DATABASE_URL: db.url, VITRINE_SECRET: SECRET },
    cleanup: () => db.drop(),
  };
}

/** Runs one `vitrine` command to its end. */
export async function cli(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(TSX, [MAIN, ...args], { env, cwd: ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

export async function createShopByCli(env: NodeJS.ProcessEnv, name: string) {
  const r = await cli(env, 'shop', 'create', name);
  if (r.code !== 0) throw new Error(`shop create failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { shopId: string; secretKey: string; publicKey: string };
}

export interface RunningServer {
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `vitrine serve` on a free port and resolves once it listens. Node itself runs the
 * server (with tsx as its loader, not the tsx wrapper process), so a signal reaches the server
 * and SIGKILL leaves no orphan.
 */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0'], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const check = () => {
      const m = out.match(/Vitrine is running: open (http:\/\/[^/\s]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { base, child, output: () => out, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** JSON over real HTTP, with the status and headers. */
export async function http(
  base: string,
  path: string,
  init: {
    method?: string;
    key?: string;
    body?: unknown;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Gives a subject a consent level over HTTP with the shop's secret key. */
export async function consentOver(base: string, key: string, subject: string, level: 0 | 1 | 2 | 3) {
  const notice = await http(base, '/v1/notice', { key });
  const r = await http(base, `/v1/subjects/${subject}/consent`, {
    method: 'PUT',
    key,
    body: { level, notice_version: notice.body.version, language: 'de', method: 'accept' },
  });
  if (r.status !== 200) throw new Error(`consent failed: ${r.status} ${JSON.stringify(r.body)}`);
}
