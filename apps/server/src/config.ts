import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration is parsed once, here, from the environment. Only apps read process.env.
 * The store is a discriminated union: one variant per driver.
 */
export type StoreConfig = { driver: 'sqlite'; path: string } | { driver: 'postgres'; url: string };

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
}

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
});

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
  const store: StoreConfig = e.DATABASE_URL
    ? { driver: 'postgres', url: e.DATABASE_URL }
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
