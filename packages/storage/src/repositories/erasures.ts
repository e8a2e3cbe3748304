import type { Selectable } from 'kysely';
import type { QueryRunner } from '../runner';
import type { ErasuresTable } from '../schema';
import type { ErasureRepository, ErasureRow } from '../types';

const toRow = (e: ErasureRow): ErasuresTable => ({
  shop_id: e.shopId,
  id: e.id,
  subject_id: e.subjectId,
  subject_hash: e.subjectHash,
  status: e.status,
  requested_at: e.requestedAt,
  completed_at: e.completedAt,
  attempts: e.attempts,
  progress: e.progress,
  receipt: e.receipt,
  last_error: e.lastError,
});

const fromRow = (r: Selectable<ErasuresTable>): ErasureRow => ({
  shopId: r.shop_id,
  id: r.id,
  subjectId: r.subject_id,
  subjectHash: r.subject_hash,
  status: r.status as ErasureRow['status'],
  requestedAt: r.requested_at,
  completedAt: r.completed_at,
  attempts: r.attempts,
  progress: r.progress,
  receipt: r.receipt,
  lastError: r.last_error,
});

/** Erasure jobs (R4): written before the first step, so that a stop midway resumes at start-up. */
export class KyselyErasures implements ErasureRepository {
  constructor(private readonly q: QueryRunner) {}

  create(erasure: ErasureRow): Promise<void> {
    return this.q.run('record the erasure', async (db) => {
      await db.insertInto('erasures').values(toRow(erasure)).execute();
    });
  }

  get(shopId: string, id: string): Promise<ErasureRow | undefined> {
    return this.q.run('read the erasure', async (db) => {
      const r = await db
        .selectFrom('erasures')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && fromRow(r);
    });
  }

  findBySubject(shopId: string, subjectHash: string): Promise<ErasureRow[]> {
    return this.q.run('find the subject erasures', async (db) => {
      const rows = await db
        .selectFrom('erasures')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_hash', '=', subjectHash)
        .orderBy('requested_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(fromRow);
    });
  }

  listPending(): Promise<ErasureRow[]> {
    return this.q.run('list pending erasures', async (db) => {
      const rows = await db
        .selectFrom('erasures')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('requested_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    });
  }

  saveProgress(
    shopId: string,
    id: string,
    progress: string,
    attempts: number,
    lastError: string | null,
  ): Promise<void> {
    return this.q.run('save the erasure progress', async (db) => {
      await db
        .updateTable('erasures')
        .set({ progress, attempts, last_error: lastError })
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .execute();
    });
  }

  complete(shopId: string, id: string, completedAt: number, receipt: string): Promise<void> {
    return this.q.run('complete the erasure', async (db) => {
      await db
        .updateTable('erasures')
        .set({ status: 'completed', completed_at: completedAt, receipt, subject_id: null, last_error: null })
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .execute();
    });
  }

  list(shopId: string): Promise<ErasureRow[]> {
    return this.q.run('list erasures', async (db) => {
      const rows = await db
        .selectFrom('erasures')
        .selectAll()
        .where('shop_id', '=', shopId)
        .orderBy('requested_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    });
  }
}
