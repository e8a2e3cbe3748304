import { Kysely, PostgresDialect, type Selectable, sql } from 'kysely';
import pg from 'pg';
import { type FailureKind, StorageError, storageFailure } from '../errors';
import type { Database, SubjectsTable } from '../schema';
import type { EventRow, SessionRow } from '../types';
import type { DialectDriver } from './driver';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** How long to wait for the database before a call fails as `unavailable`. */
export interface PostgresTimeouts {
  /** For a pooled connection, whether it must be opened or waited for (default 5 s). */
  connectTimeoutMs?: number;
  /** For the answer to one query (default 30 s). */
  queryTimeoutMs?: number;
}

/**
 * A pooled client that survives its connection dying while it is checked out, and gives up a
 * connection that stopped answering.
 */
class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // The pool listens for errors only while a client is idle: a connection lost during a
    // query would emit 'error' with nobody listening and end the process. Its queries fail
    // with the error anyway, and the pool drops the client when it is released.
    this.on('error', () => {});
  }

  // A query past `query_timeout` is failed by pg but stays active on the connection, so every
  // later query on it would wait behind it; closing the socket makes the pool drop the client.
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((e: unknown) => {
        if (e instanceof Error && e.message === QUERY_TIMEOUT_MESSAGE) {
          (
            this as unknown as { connection?: { stream?: { destroy(): void } } }
          ).connection?.stream?.destroy();
        }
      });
    }
    return result as never;
  }
}

const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * PostgreSQL through a `pg.Pool`. With `schema`, every pooled connection starts with that
 * `search_path` (the schema is created if missing), so tests and tenants can be isolated.
 * With the database unreachable, each call fails as `unavailable` within the timeouts instead
 * of waiting for the operating system to give up on the connection.
 */
export async function openPostgres(
  url: string,
  schema?: string,
  timeouts: PostgresTimeouts = {},
): Promise<DialectDriver> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StorageError(
      'invalid_config',
      `Invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and _.`,
    );
  }
  // Epoch-ms columns and counts are int8; they fit a JS number (< 2^53).
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({
    connectionString: url,
    Client: GuardedClient,
    connectionTimeoutMillis: timeouts.connectTimeoutMs ?? 5_000,
    query_timeout: timeouts.queryTimeoutMs ?? 30_000,
    keepAlive: true,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its connection is dropped by the pool; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  let migrationSchema: string;
  try {
    if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(db);
    migrationSchema = rows[0]?.name ?? 'public';
  } catch (e) {
    await db.destroy();
    throw storageFailure('connect to PostgreSQL', classifyPostgres(e), e);
  }

  return {
    dialect: 'postgres',
    db,
    migrationSchema,
    classify: classifyPostgres,
    insertEvents: (events, sessions, skipped) =>
      db.transaction().execute(async (trx) => {
        let inserted = 0;
        if (events.length > 0 && skipped !== undefined) {
          const result = await sql<{ id: string }>`${insertEventsQuery(events)} returning id`.execute(trx);
          inserted = result.rows.length;
          const stored = new Set(result.rows.map((r) => r.id));
          const seen = new Set<string>();
          for (const e of events) {
            if (stored.has(e.id) || seen.has(e.id)) continue;
            seen.add(e.id);
            skipped.push(e.id);
          }
        } else if (events.length > 0) {
          const result = await insertEventsQuery(events).execute(trx);
          inserted = Number(result.numAffectedRows ?? 0n);
        }
        if (sessions.length > 0) await touchSessionsQuery(sessions).execute(trx);
        return inserted;
      }),
    selectSubjects: async (shopId, ids) => {
      const r = await sql<Selectable<SubjectsTable>>`
        select * from subjects where shop_id = ${shopId} and id = any(${[...ids]}::text[]) order by id`.execute(
        db,
      );
      return r.rows;
    },
  };
}

/** One statement per batch: each column travels as one array parameter through `unnest`. */
function insertEventsQuery(events: readonly EventRow[]) {
  const n = events.length;
  const col = <T>(pick: (e: EventRow) => T): T[] => {
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = pick(events[i] as EventRow);
    return out;
  };
  return sql`
    insert into events (shop_id, id, subject_id, session_id, type, category, item_id, quantity, price,
      order_id, data, ts, expires_at, session_scoped)
    select * from unnest(
      ${col((e) => e.shopId)}::text[], ${col((e) => e.id)}::text[],
      ${col((e) => e.subjectId)}::text[], ${col((e) => e.sessionId)}::text[],
      ${col((e) => e.type)}::text[], ${col((e) => e.category)}::text[],
      ${col((e) => e.itemId ?? null)}::text[], ${col((e) => e.quantity ?? null)}::integer[],
      ${col((e) => e.price ?? null)}::double precision[], ${col((e) => e.orderId ?? null)}::text[],
      ${col((e) => e.data ?? null)}::text[], ${col((e) => e.ts)}::bigint[],
      ${col((e) => e.expiresAt ?? null)}::bigint[], ${col((e) => e.sessionScoped)}::boolean[])
    on conflict (shop_id, id) do nothing`;
}

function touchSessionsQuery(sessions: readonly SessionRow[]) {
  return sql`
    insert into sessions (shop_id, id, subject_id, last_seen)
    select * from unnest(
      ${sessions.map((s) => s.shopId)}::text[], ${sessions.map((s) => s.id)}::text[],
      ${sessions.map((s) => s.subjectId)}::text[], ${sessions.map((s) => s.lastSeen)}::bigint[])
    on conflict (shop_id, subject_id, id) do update set last_seen = greatest(sessions.last_seen, excluded.last_seen)`;
}

const UNAVAILABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** What pg and its pool say, without a code, when the connection is gone or too slow. */
const UNAVAILABLE_MESSAGE =
  /^(Query read timeout|timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed and is not queryable)/;

/** SQLSTATE classes: 23 integrity, 22 data, 08 connection, 53 resources, 57P operator intervention. */
function classifyPostgres(error: unknown): FailureKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message) ? 'unavailable' : 'unknown';
  }
  if (code === '23505') return 'duplicate';
  if (code === '23502') return 'missing_value';
  if (code === '23503') return 'missing_reference';
  if (code === '23514' || code.startsWith('22')) return 'invalid_value';
  if (/^(08|53|57P)/.test(code) || UNAVAILABLE_NETWORK.has(code)) return 'unavailable';
  return 'unknown';
}
