import { openPostgres } from './dialects/postgres';
import { openSqlite } from './dialects/sqlite';
import { isStorageError, storageFailure } from './errors';
import { KyselyStore } from './store';
import type { Store } from './types';

export type StoreConfig =
  /** `path` is a data folder (created if missing) holding `vitrine.db`, or `:memory:`. */
  | { driver: 'sqlite'; path: string }
  /** `schema` (created if missing) isolates the store inside the database. */
  | {
      driver: 'postgres';
      url: string;
      schema?: string;
      /** Waiting for a pooled connection, ms (default 5,000): then `unavailable`. */
      connectTimeoutMs?: number;
      /** Waiting for one query's answer, ms (default 30,000): then `unavailable`. */
      queryTimeoutMs?: number;
    };

/** Opens a store; call `migrate()` before first use. */
export async function openStore(config: StoreConfig): Promise<Store> {
  switch (config.driver) {
    case 'sqlite':
      try {
        return new KyselyStore(openSqlite(config.path));
      } catch (e) {
        throw isStorageError(e)
          ? e
          : storageFailure(`open the SQLite store at ${config.path}`, 'unavailable', e);
      }
    case 'postgres':
      return new KyselyStore(
        await openPostgres(config.url, config.schema, {
          ...(config.connectTimeoutMs !== undefined ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
          ...(config.queryTimeoutMs !== undefined ? { queryTimeoutMs: config.queryTimeoutMs } : {}),
        }),
      );
  }
}
