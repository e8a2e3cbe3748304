import type { Kysely } from 'kysely';
import type { DialectDriver } from './dialects/driver';
import { isStorageError, storageFailure } from './errors';
import type { Database } from './schema';

/**
 * The one query runner every repository shares: it holds the connection (the pool, or an open
 * transaction) and turns driver errors into `StorageError`s that name the operation.
 */
export class QueryRunner {
  constructor(
    readonly db: Kysely<Database>,
    readonly driver: DialectDriver,
    /** True when `db` is an open transaction: repositories then join it instead of opening their own. */
    readonly inTransaction = false,
  ) {}

  async run<T>(action: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      return await work(this.db);
    } catch (e) {
      throw isStorageError(e) ? e : storageFailure(action, this.driver.classify(e), e);
    }
  }

  /** Runs `work` atomically: in a transaction of its own, or within the one already open. */
  atomic<T>(action: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.run(action, (db) => (this.inTransaction ? work(db) : db.transaction().execute(work)));
  }

  /**
   * Runs `work` with a runner on one new transaction: everything it does commits together or
   * not at all. An error thrown by `work` itself rolls back and reaches the caller unchanged.
   */
  async transaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const thrown: { error?: unknown } = {};
    try {
      return await this.db.transaction().execute(async (trx) => {
        try {
          return await work(new QueryRunner(trx, this.driver, true));
        } catch (e) {
          thrown.error = e;
          throw e;
        }
      });
    } catch (e) {
      if ('error' in thrown && e === thrown.error) throw e;
      throw isStorageError(e) ? e : storageFailure('complete the transaction', this.driver.classify(e), e);
    }
  }
}
