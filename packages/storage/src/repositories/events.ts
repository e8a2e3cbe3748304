import { type Kysely, sql } from 'kysely';
import { bit, mergeSessions, rowToEvent } from '../rows';
import type { QueryRunner } from '../runner';
import type { Database } from '../schema';
import type {
  EventRepository,
  EventRow,
  EventScanOptions,
  RetentionResult,
  SessionRow,
  SubjectEventsErased,
  WithdrawnScope,
} from '../types';

/** Deletes the subject's sessions that no longer have an event: a session row holds a time of activity, data too. */
async function dropEmptySessions(db: Kysely<Database>, shopId: string, subjectId: string): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where('shop_id', '=', shopId)
    .where('subject_id', '=', subjectId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('events as e')
            .select(sql`1`.as('one'))
            .whereRef('e.shop_id', '=', 'sessions.shop_id')
            .whereRef('e.subject_id', '=', 'sessions.subject_id')
            .whereRef('e.session_id', '=', 'sessions.id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

const DEFAULT_PAGE_SIZE = 10_000;

/**
 * Sorting a subject's or session's events here, not in SQL, keeps SQLite on the
 * (shop_id, subject_id/session_id) index: without statistics its planner would rather walk
 * the whole shop in (ts, id) order than sort a few rows.
 */
const byTimeThenId = (a: EventRow, b: EventRow) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Events and their sessions; only the ingest hot path is the dialect driver's own. */
export class KyselyEvents implements EventRepository {
  constructor(private readonly q: QueryRunner) {}

  insert(events: readonly EventRow[], sessions: readonly SessionRow[], skipped?: string[]): Promise<number> {
    return this.q.run('store events', async () => {
      if (events.length === 0 && sessions.length === 0) return 0;
      // Filled only once the transaction has committed: a failed one reports nothing.
      const mine: string[] | undefined = skipped === undefined ? undefined : [];
      const inserted = await this.q.driver.insertEvents(events, mergeSessions(sessions), mine);
      if (skipped !== undefined && mine !== undefined) skipped.push(...mine);
      return inserted;
    });
  }

  listForSubject(shopId: string, subjectId: string): Promise<EventRow[]> {
    return this.q.run('list the subject events', async (db) => {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .execute();
      return rows.map(rowToEvent).sort(byTimeThenId);
    });
  }

  listForSession(shopId: string, subjectId: string, sessionId: string): Promise<EventRow[]> {
    return this.q.run('list the session events', async (db) => {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .where('session_id', '=', sessionId)
        .execute();
      return rows.map(rowToEvent).sort(byTimeThenId);
    });
  }

  async *scan(shopId: string, opts: EventScanOptions = {}): AsyncGenerator<EventRow[]> {
    const { since, pageSize = DEFAULT_PAGE_SIZE } = opts;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    }
    let after: string | undefined;
    for (;;) {
      const from = after;
      const rows = await this.q.run('scan events', (db) =>
        db
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

  count(shopId: string): Promise<number> {
    return this.q.run('count events', async (db) => {
      const { n } = await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('shop_id', '=', shopId)
        .executeTakeFirstOrThrow();
      return Number(n);
    });
  }

  deleteWithdrawn(shopId: string, subjectId: string, scope: WithdrawnScope): Promise<number> {
    return this.q.atomic('delete the subject events', async (db) => {
      if (scope.denied.length === 0 && scope.sessionOnly.length === 0) return 0;
      const r = await db
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
      await dropEmptySessions(db, shopId, subjectId);
      return Number(r.numDeletedRows);
    });
  }

  listSessions(shopId: string, subjectId: string): Promise<SessionRow[]> {
    return this.q.run('list the subject sessions', async (db) => {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        shopId: r.shop_id,
        id: r.id,
        subjectId: r.subject_id,
        lastSeen: r.last_seen,
      }));
    });
  }

  deleteEvents(shopId: string, subjectId: string, ids: readonly string[]): Promise<EventRow[]> {
    return this.q.atomic('delete the events', async (db) => {
      if (ids.length === 0) return [];
      const rows = await db
        .deleteFrom('events')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .where((eb) =>
          // A purchase's lines are `<id>.0`, `<id>.1`, …: the ids between `<id>.` and `<id>/`
          // ('/' follows '.'), in the code-point order both dialects use for ids.
          eb.or([
            eb('id', 'in', [...ids]),
            ...ids.map((id) => eb.and([eb('id', '>', `${id}.`), eb('id', '<', `${id}/`)])),
          ]),
        )
        .returningAll()
        .execute();
      await dropEmptySessions(db, shopId, subjectId);
      return rows.map(rowToEvent).sort(byTimeThenId);
    });
  }

  eraseSubject(shopId: string, subjectId: string): Promise<SubjectEventsErased> {
    return this.q.atomic('erase the subject events', async (db) => {
      const events = await db
        .deleteFrom('events')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      const sessions = await db
        .deleteFrom('sessions')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      return { events: Number(events.numDeletedRows), sessions: Number(sessions.numDeletedRows) };
    });
  }

  applyRetention(now: number, sessionTimeoutMs: number): Promise<RetentionResult> {
    const endedBefore = now - sessionTimeoutMs;
    return this.q.atomic('apply retention', async (trx) => {
      const expired = await trx.deleteFrom('events').where('expires_at', '<=', now).returningAll().execute();
      const ended = trx
        .selectFrom('sessions')
        .select(['shop_id', 'subject_id', 'id'])
        .where('last_seen', '<=', endedBefore)
        .$asTuple('shop_id', 'subject_id', 'id');
      const sessionEvents = await trx
        .deleteFrom('events')
        .where('session_scoped', '=', bit(true))
        .where((eb) => eb(eb.refTuple('shop_id', 'subject_id', 'session_id'), 'in', ended))
        .returningAll()
        .execute();
      // Ended sessions go, and so do sessions whose last event just expired.
      const touched = new Map<string, [string, string]>();
      for (const e of expired) touched.set(`${e.shop_id}\u0000${e.subject_id}`, [e.shop_id, e.subject_id]);
      const sessions = await trx
        .deleteFrom('sessions')
        .where('last_seen', '<=', endedBefore)
        .executeTakeFirst();
      let emptied = 0;
      for (const [shopId, subjectId] of touched.values())
        emptied += await dropEmptySessions(trx, shopId, subjectId);
      return {
        expiredEvents: expired.length,
        endedSessionEvents: sessionEvents.length,
        endedSessions: Number(sessions.numDeletedRows) + emptied,
        removed: [...expired, ...sessionEvents].map(rowToEvent),
      };
    });
  }
}
