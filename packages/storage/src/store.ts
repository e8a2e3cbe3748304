import { type Kysely, Migrator } from 'kysely';
import type { DialectDriver } from './dialects/driver';
import { isStorageError, StorageError, storageFailure } from './errors';
import { migrationsFor } from './migrations';
import {
  apiKeyToRow,
  bit,
  itemToRow,
  lastPerKey,
  mergeSessions,
  noticeToRow,
  rowToApiKey,
  rowToConsentRecord,
  rowToEvent,
  rowToItem,
  rowToNotice,
  rowToShop,
  rowToSubject,
  shopToRow,
  subjectToRow,
} from './rows';
import type { Database } from './schema';
import type {
  ApiKeyRow,
  ConsentRecordRow,
  EventRow,
  EventScanOptions,
  ItemRow,
  ListOptions,
  NoticeRow,
  RetentionResult,
  SessionRow,
  ShopRow,
  Store,
  SubjectRow,
} from './types';

/** Ids per `in (…)` list, and items per multi-row insert (9 parameters each): far below both dialects' limits. */
const CHUNK = 1000;
const DEFAULT_PAGE_SIZE = 10_000;

/**
 * Sorting a subject's or session's events here, not in SQL, keeps SQLite on the
 * (shop_id, subject_id/session_id) index: without statistics its planner would rather walk
 * the whole shop in (ts, id) order than sort a few rows.
 */
const byTimeThenId = (a: EventRow, b: EventRow) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** The repository layer shared by every dialect; only the ingest hot path is the driver's own. */
export class KyselyStore implements Store {
  readonly dialect: Store['dialect'];
  readonly #driver: DialectDriver;
  readonly #db: Kysely<Database>;

  constructor(driver: DialectDriver) {
    this.dialect = driver.dialect;
    this.#driver = driver;
    this.#db = driver.db;
  }

  async #run<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw isStorageError(e) ? e : storageFailure(action, this.#driver.classify(e), e);
    }
  }

  migrate(): Promise<void> {
    return this.#run('migrate the database', async () => {
      const migrator = new Migrator({
        db: this.#db,
        provider: { getMigrations: async () => migrationsFor(this.dialect) },
        migrationTableSchema: this.#driver.migrationSchema,
      });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    });
  }

  close(): Promise<void> {
    return this.#db.destroy();
  }

  createShop(shop: ShopRow): Promise<void> {
    return this.#run('create the shop', async () => {
      await this.#db.insertInto('shops').values(shopToRow(shop)).execute();
    });
  }

  getShop(id: string): Promise<ShopRow | undefined> {
    return this.#run('read the shop', async () => {
      const row = await this.#db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirst();
      return row && rowToShop(row);
    });
  }

  listShops(): Promise<ShopRow[]> {
    return this.#run('list shops', async () => {
      const rows = await this.#db.selectFrom('shops').selectAll().orderBy('id').execute();
      return rows.map(rowToShop);
    });
  }

  updateShopPolicy(id: string, policy: string): Promise<void> {
    return this.#run('update the shop policy', async () => {
      const { numUpdatedRows } = await this.#db
        .updateTable('shops')
        .set({ policy })
        .where('id', '=', id)
        .executeTakeFirst();
      if (numUpdatedRows === 0n) {
        throw new StorageError('not_found', `Could not update the shop policy: shop ${id} does not exist.`);
      }
    });
  }

  addApiKey(key: ApiKeyRow): Promise<void> {
    return this.#run('add the API key', async () => {
      await this.#db.insertInto('api_keys').values(apiKeyToRow(key)).execute();
    });
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.#run('look up the API key', async () => {
      const row = await this.#db
        .selectFrom('api_keys')
        .selectAll()
        .where('hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row && rowToApiKey(row);
    });
  }

  getSubject(shopId: string, id: string): Promise<SubjectRow | undefined> {
    return this.#run('read the subject', async () => {
      const row = await this.#db
        .selectFrom('subjects')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && rowToSubject(row);
    });
  }

  getSubjects(shopId: string, ids: readonly string[]): Promise<SubjectRow[]> {
    return this.#run('read subjects', async () => {
      if (ids.length === 0) return [];
      const rows = await this.#driver.selectSubjects(shopId, [...new Set(ids)]);
      return rows.map(rowToSubject);
    });
  }

  listSubjects(shopId: string): Promise<SubjectRow[]> {
    return this.#run('list subjects', async () => {
      const rows = await this.#db
        .selectFrom('subjects')
        .selectAll()
        .where('shop_id', '=', shopId)
        .orderBy('id')
        .execute();
      return rows.map(rowToSubject);
    });
  }

  saveConsent(subject: SubjectRow, record: ConsentRecordRow): Promise<void> {
    return this.#run('save the consent', async () => {
      if (record.shopId !== subject.shopId || record.subjectId !== subject.id) {
        throw new StorageError(
          'constraint',
          'Could not save the consent: the record belongs to another subject.',
        );
      }
      const row = subjectToRow(subject);
      await this.#db.transaction().execute(async (trx) => {
        // The upsert locks the subject's row (PostgreSQL), so concurrent saves for one
        // subject take turns and read each other's ledger position.
        await trx
          .insertInto('subjects')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['shop_id', 'id']).doUpdateSet({
              level: row.level,
              purposes: row.purposes,
              notice_version: row.notice_version,
              gpc: row.gpc,
              paused: row.paused,
              dpv_state: row.dpv_state,
              valid_until: row.valid_until,
              purpose_scopes: row.purpose_scopes,
              updated_at: row.updated_at,
            }),
          )
          .execute();
        const { last } = await trx
          .selectFrom('consent_records')
          .select((eb) => eb.fn.max<number | null>('seq').as('last'))
          .where('shop_id', '=', record.shopId)
          .where('subject_id', '=', record.subjectId)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('consent_records')
          .values({
            shop_id: record.shopId,
            id: record.id,
            subject_id: record.subjectId,
            seq: (last ?? 0) + 1,
            event_time: record.eventTime,
            record: record.record,
          })
          .execute();
      });
    });
  }

  listConsentRecords(shopId: string, subjectId: string): Promise<ConsentRecordRow[]> {
    return this.#run('list consent records', async () => {
      const rows = await this.#db
        .selectFrom('consent_records')
        .select(['shop_id', 'id', 'subject_id', 'event_time', 'record'])
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .orderBy('seq')
        .execute();
      return rows.map(rowToConsentRecord);
    });
  }

  putNotice(notice: NoticeRow): Promise<void> {
    return this.#run('store the notice', async () => {
      await this.#db
        .insertInto('notices')
        .values(noticeToRow(notice))
        .onConflict((oc) => oc.columns(['shop_id', 'notice_id', 'language', 'version']).doNothing())
        .execute();
    });
  }

  getNotice(
    shopId: string,
    noticeId: string,
    version: number,
    language: string,
  ): Promise<NoticeRow | undefined> {
    return this.#run('read the notice', async () => {
      const row = await this.#db
        .selectFrom('notices')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('notice_id', '=', noticeId)
        .where('language', '=', language)
        .where('version', '=', version)
        .executeTakeFirst();
      return row && rowToNotice(row);
    });
  }

  latestNotice(shopId: string, noticeId: string, language: string): Promise<NoticeRow | undefined> {
    return this.#run('read the notice', async () => {
      const row = await this.#db
        .selectFrom('notices')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('notice_id', '=', noticeId)
        .where('language', '=', language)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && rowToNotice(row);
    });
  }

  upsertItems(items: readonly ItemRow[]): Promise<void> {
    return this.#run('store items', async () => {
      if (items.length === 0) return;
      const rows = lastPerKey(items).map(itemToRow);
      await this.#db.transaction().execute(async (trx) => {
        for (const part of chunks(rows)) {
          await trx
            .insertInto('items')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['shop_id', 'id']).doUpdateSet((eb) => ({
                title: eb.ref('excluded.title'),
                category_path: eb.ref('excluded.category_path'),
                price: eb.ref('excluded.price'),
                currency: eb.ref('excluded.currency'),
                attributes: eb.ref('excluded.attributes'),
                available: eb.ref('excluded.available'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
      });
    });
  }

  getItem(shopId: string, id: string): Promise<ItemRow | undefined> {
    return this.#run('read the item', async () => {
      const row = await this.#db
        .selectFrom('items')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && rowToItem(row);
    });
  }

  listItems(shopId: string, opts: ListOptions = {}): Promise<ItemRow[]> {
    const { after, limit, updatedSince } = opts;
    return this.#run('list items', async () => {
      const rows = await this.#db
        .selectFrom('items')
        .selectAll()
        .where('shop_id', '=', shopId)
        .$if(after !== undefined, (q) => q.where('id', '>', after ?? ''))
        .$if(updatedSince !== undefined, (q) => q.where('updated_at', '>=', updatedSince ?? 0))
        .orderBy('id')
        .$if(limit !== undefined, (q) => q.limit(limit ?? 0))
        .execute();
      return rows.map(rowToItem);
    });
  }

  countItems(shopId: string): Promise<number> {
    return this.#run('count items', async () => {
      const { n } = await this.#db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('shop_id', '=', shopId)
        .executeTakeFirstOrThrow();
      return Number(n);
    });
  }

  insertEvents(events: readonly EventRow[], sessions: readonly SessionRow[]): Promise<number> {
    return this.#run('store events', async () => {
      if (events.length === 0 && sessions.length === 0) return 0;
      return this.#driver.insertEvents(events, mergeSessions(sessions));
    });
  }

  listSubjectEvents(shopId: string, subjectId: string): Promise<EventRow[]> {
    return this.#run('list the subject events', async () => {
      const rows = await this.#db
        .selectFrom('events')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .execute();
      return rows.map(rowToEvent).sort(byTimeThenId);
    });
  }

  listSessionEvents(shopId: string, subjectId: string, sessionId: string): Promise<EventRow[]> {
    return this.#run('list the session events', async () => {
      const rows = await this.#db
        .selectFrom('events')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .where('session_id', '=', sessionId)
        .execute();
      return rows.map(rowToEvent).sort(byTimeThenId);
    });
  }

  async *scanEvents(shopId: string, opts: EventScanOptions = {}): AsyncGenerator<EventRow[]> {
    const { since, pageSize = DEFAULT_PAGE_SIZE } = opts;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    }
    let after: string | undefined;
    for (;;) {
      const from = after;
      const rows = await this.#run('scan events', () =>
        this.#db
          .selectFrom('events')
          .selectAll()
          .where('shop_id', '=', shopId)
          .$if(from !== undefined, (q) => q.where('id', '>', from ?? ''))
          .orderBy('id')
          .limit(pageSize)
          .execute(),
      );
      const page = since === undefined ? rows : rows.filter((r) => r.ts >= since);
      if (page.length > 0) yield page.map(rowToEvent);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = last.id;
    }
  }

  countEvents(shopId: string): Promise<number> {
    return this.#run('count events', async () => {
      const { n } = await this.#db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('shop_id', '=', shopId)
        .executeTakeFirstOrThrow();
      return Number(n);
    });
  }

  deleteSubjectEvents(
    shopId: string,
    subjectId: string,
    scope: { denied: readonly string[]; sessionOnly: readonly string[] },
  ): Promise<number> {
    return this.#run('delete the subject events', async () => {
      if (scope.denied.length === 0 && scope.sessionOnly.length === 0) return 0;
      const r = await this.#db
        .deleteFrom('events')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .where((eb) => {
          const any = [];
          if (scope.denied.length > 0) any.push(eb('category', 'in', scope.denied));
          if (scope.sessionOnly.length > 0)
            any.push(
              eb.and([eb('category', 'in', scope.sessionOnly), eb('session_scoped', '=', bit(false))]),
            );
          return eb.or(any);
        })
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  applyRetention(now: number, sessionTimeoutMs: number): Promise<RetentionResult> {
    const endedBefore = now - sessionTimeoutMs;
    return this.#run('apply retention', () =>
      this.#db.transaction().execute(async (trx) => {
        const expired = await trx.deleteFrom('events').where('expires_at', '<=', now).executeTakeFirst();
        const ended = trx
          .selectFrom('sessions')
          .select(['shop_id', 'subject_id', 'id'])
          .where('last_seen', '<=', endedBefore)
          .$asTuple('shop_id', 'subject_id', 'id');
        const sessionEvents = await trx
          .deleteFrom('events')
          .where('session_scoped', '=', bit(true))
          .where((eb) => eb(eb.refTuple('shop_id', 'subject_id', 'session_id'), 'in', ended))
          .executeTakeFirst();
        const sessions = await trx
          .deleteFrom('sessions')
          .where('last_seen', '<=', endedBefore)
          .executeTakeFirst();
        return {
          expiredEvents: Number(expired.numDeletedRows),
          endedSessionEvents: Number(sessionEvents.numDeletedRows),
          endedSessions: Number(sessions.numDeletedRows),
        };
      }),
    );
  }
}
