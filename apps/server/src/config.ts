import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration is parsed once, here, from the environment. Only apps read process.env.
 * The store is a discriminated union: one variant per driver.
 */
export type StoreConfig =
  | { driver: 'sqlite'; path: string }
  | { driver: 'postgres'; url: string; connectTimeoutMs?: number; queryTimeoutMs?: number };

/** A token bucket: `perSecond` requests on average, up to `burst` at once. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/**
 * What one client may cost the service: body sizes per route, how long it may take to send a
 * request, and how many requests per key. Every figure has an environment variable (README).
 */
export interface Limits {
  /** Largest request body, in bytes, per route group. */
  body: { events: number; items: number; consent: number; other: number };
  /** Request headers must be complete within this (Node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** The whole request must be received within this (Node's `requestTimeout`). */
  requestTimeoutMs: number;
  /** A JSON body must be read within this once the route starts reading it (answered with 408). */
  bodyTimeoutMs: number;
  /** Per API key, by kind; public-key requests for a subject also per subject. */
  rate: { secret: Rate; public: Rate; subject: Rate };
  /**
   * A request over its rate limit is answered 429 after this long at most (never later than
   * its Retry-After). A client that floods on a few connections then slows itself down instead
   * of keeping the server busy refusing it; a client that waits as told loses nothing.
   */
  rateLimitedDelayMs: number;
}

const KiB = 1024;

export const DEFAULT_LIMITS: Limits = {
  // 5,000 events of ~300 bytes are ~1.5 MB; purchases with many lines need more.
  // 10,000 items of ~500 bytes are ~5 MB. A consent change is a few hundred bytes.
  body: { events: 4096 * KiB, items: 8192 * KiB, consent: 16 * KiB, other: 256 * KiB },
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyTimeoutMs: 10_000,
  rate: {
    // The shop's server: batches events and items, asks for recommendations server-side.
    secret: { perSecond: 200, burst: 400 },
    // Every browser of a shop shares the public key.
    public: { perSecond: 300, burst: 300 },
    // One browser (one subject token): a page view makes a handful of calls.
    subject: { perSecond: 5, burst: 10 },
  },
  rateLimitedDelayMs: 1_000,
};

export interface Config {
  store: StoreConfig;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Path of the default policy file for newly created shops (else the built-in default policy). */
  policyFile: string | undefined;
  /** Secret that signs subject tokens; when unset a random one is kept in the data folder (embedded) or required (PostgreSQL). */
  secret: string | undefined;
  /** How often expired data is deleted. */
  retentionIntervalMs: number;
  /** How often derived model weights are recomputed when the data changed. */
  modelRefreshIntervalMs: number;
  /** `production` when NODE_ENV or VITRINE_ENV says so: then a master key is required (D3). */
  mode: 'production' | 'development' | 'test';
  /** Master key of the identity store (VITRINE_MASTER_KEY); unset: kept in the data folder (embedded), else off. */
  masterKey: string | undefined;
  /** Earlier master keys still needed to read subject keys not yet rewrapped (rotation). */
  previousMasterKeys: string | undefined;
  limits: Limits;
}

/** PostgreSQL: how long to wait for a connection and for one query before answering 503. */
const DB_CONNECT_TIMEOUT_MS = 500;
const DB_QUERY_TIMEOUT_MS = 800;

const positive = (fallback: number) => z.coerce.number().positive().default(fallback);

const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  VITRINE_DATA_DIR: z.string().min(1).default('.vitrine'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VITRINE_POLICY: z.string().min(1).optional(),
  VITRINE_SECRET: z.string().min(32, 'VITRINE_SECRET must be at least 32 characters').optional(),
  VITRINE_RETENTION_INTERVAL_S: z.coerce.number().int().positive().default(60),
  VITRINE_MODEL_REFRESH_S: z.coerce.number().int().positive().default(300),
  VITRINE_MASTER_KEY: z.string().optional(),
  VITRINE_MASTER_KEY_PREVIOUS: z.string().optional(),
  NODE_ENV: z.string().optional(),
  VITRINE_ENV: z.string().optional(),
  VITRINE_MAX_BODY_EVENTS_KB: positive(DEFAULT_LIMITS.body.events / KiB),
  VITRINE_MAX_BODY_ITEMS_KB: positive(DEFAULT_LIMITS.body.items / KiB),
  VITRINE_MAX_BODY_CONSENT_KB: positive(DEFAULT_LIMITS.body.consent / KiB),
  VITRINE_MAX_BODY_KB: positive(DEFAULT_LIMITS.body.other / KiB),
  VITRINE_HEADERS_TIMEOUT_S: positive(DEFAULT_LIMITS.headersTimeoutMs / 1000),
  VITRINE_REQUEST_TIMEOUT_S: positive(DEFAULT_LIMITS.requestTimeoutMs / 1000),
  VITRINE_BODY_TIMEOUT_S: positive(DEFAULT_LIMITS.bodyTimeoutMs / 1000),
  VITRINE_RATE_SECRET: positive(DEFAULT_LIMITS.rate.secret.perSecond),
  VITRINE_RATE_SECRET_BURST: positive(DEFAULT_LIMITS.rate.secret.burst),
  VITRINE_RATE_PUBLIC: positive(DEFAULT_LIMITS.rate.public.perSecond),
  VITRINE_RATE_PUBLIC_BURST: positive(DEFAULT_LIMITS.rate.public.burst),
  VITRINE_RATE_SUBJECT: positive(DEFAULT_LIMITS.rate.subject.perSecond),
  VITRINE_RATE_SUBJECT_BURST: positive(DEFAULT_LIMITS.rate.subject.burst),
  VITRINE_RATE_LIMITED_DELAY_MS: z.coerce.number().min(0).default(DEFAULT_LIMITS.rateLimitedDelayMs),
  VITRINE_DB_CONNECT_TIMEOUT_MS: positive(DB_CONNECT_TIMEOUT_MS),
  VITRINE_DB_QUERY_TIMEOUT_MS: positive(DB_QUERY_TIMEOUT_MS),
});

/** Every environment variable the service reads (the README's configuration table lists each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  if (e.VITRINE_HEADERS_TIMEOUT_S > e.VITRINE_REQUEST_TIMEOUT_S) {
    throw new ConfigError(
      'configuration: VITRINE_HEADERS_TIMEOUT_S must not be larger than VITRINE_REQUEST_TIMEOUT_S (the headers are part of the request)',
    );
  }
  const store: StoreConfig = e.DATABASE_URL
    ? {
        driver: 'postgres',
        url: e.DATABASE_URL,
        connectTimeoutMs: e.VITRINE_DB_CONNECT_TIMEOUT_MS,
        queryTimeoutMs: e.VITRINE_DB_QUERY_TIMEOUT_MS,
      }
    : { driver: 'sqlite', path: resolve(e.VITRINE_DATA_DIR) };
  if (store.driver === 'postgres' && !e.VITRINE_SECRET) {
    throw new ConfigError(
      'configuration: VITRINE_SECRET is required with DATABASE_URL (all API processes must share it); generate one with `openssl rand -hex 32`',
    );
  }
  return {
    store,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    policyFile: e.VITRINE_POLICY,
    secret: e.VITRINE_SECRET,
    retentionIntervalMs: e.VITRINE_RETENTION_INTERVAL_S * 1000,
    modelRefreshIntervalMs: e.VITRINE_MODEL_REFRESH_S * 1000,
    mode:
      e.NODE_ENV === 'production' || e.VITRINE_ENV === 'production'
        ? 'production'
        : e.NODE_ENV === 'test'
          ? 'test'
          : 'development',
    masterKey: e.VITRINE_MASTER_KEY === '' ? undefined : e.VITRINE_MASTER_KEY,
    previousMasterKeys: e.VITRINE_MASTER_KEY_PREVIOUS,
    limits: {
      body: {
        events: Math.round(e.VITRINE_MAX_BODY_EVENTS_KB * KiB),
        items: Math.round(e.VITRINE_MAX_BODY_ITEMS_KB * KiB),
        consent: Math.round(e.VITRINE_MAX_BODY_CONSENT_KB * KiB),
        other: Math.round(e.VITRINE_MAX_BODY_KB * KiB),
      },
      headersTimeoutMs: e.VITRINE_HEADERS_TIMEOUT_S * 1000,
      requestTimeoutMs: e.VITRINE_REQUEST_TIMEOUT_S * 1000,
      bodyTimeoutMs: e.VITRINE_BODY_TIMEOUT_S * 1000,
      rate: {
        secret: { perSecond: e.VITRINE_RATE_SECRET, burst: e.VITRINE_RATE_SECRET_BURST },
        public: { perSecond: e.VITRINE_RATE_PUBLIC, burst: e.VITRINE_RATE_PUBLIC_BURST },
        subject: { perSecond: e.VITRINE_RATE_SUBJECT, burst: e.VITRINE_RATE_SUBJECT_BURST },
      },
      rateLimitedDelayMs: e.VITRINE_RATE_LIMITED_DELAY_MS,
    },
  };
}

/** For start-up logs: the configuration with secrets masked. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    store: c.store.driver === 'postgres' ? { driver: 'postgres', url: maskUrl(c.store.url) } : c.store,
    host: c.host,
    port: c.port,
    policyFile: c.policyFile ?? '(built-in default policy)',
    secret: c.secret ? '***' : '(kept in data folder)',
    mode: c.mode,
    masterKey: c.masterKey ? '***' : '(kept in data folder, or identity store off)',
    limits: c.limits,
  };
}

function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '***';
  }
}
