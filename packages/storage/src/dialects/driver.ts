import type { Kysely, Selectable } from 'kysely';
import type { FailureKind } from '../errors';
import type { Database, SubjectsTable } from '../schema';
import type { EventRow, SessionRow } from '../types';

/** What the shared repository layer needs from a dialect: a Kysely instance and the hot path. */
export interface DialectDriver {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /** Schema that holds Kysely's migration tables (PostgreSQL); undefined for SQLite. */
  readonly migrationSchema: string | undefined;
  /** Recognises the driver's errors, so that callers get a code and no SQL. */
  classify(error: unknown): FailureKind;
  /**
   * The ingest hot path: inserts events, skipping existing (shop_id, id), and upserts the
   * (already merged) sessions with last_seen = max(old, new), all in one transaction.
   * Returns the number of events inserted; `skipped`, when given, receives the ids of the
   * events that were not inserted because their id was stored before this call.
   */
  insertEvents(
    events: readonly EventRow[],
    sessions: readonly SessionRow[],
    skipped?: string[],
  ): Promise<number>;
  /** The consent gate's read per ingest batch: the subjects among `ids`, as one cached statement. */
  selectSubjects(shopId: string, ids: readonly string[]): Promise<Selectable<SubjectsTable>[]>;
}
