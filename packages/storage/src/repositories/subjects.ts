import { bit, rowToSubject, subjectToRow } from '../rows';
import type { QueryRunner } from '../runner';
import type { SubjectRepository, SubjectRow } from '../types';

export class KyselySubjects implements SubjectRepository {
  constructor(private readonly q: QueryRunner) {}

  get(shopId: string, id: string): Promise<SubjectRow | undefined> {
    return this.q.run('read the subject', async (db) => {
      const row = await db
        .selectFrom('subjects')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && rowToSubject(row);
    });
  }

  delete(shopId: string, id: string): Promise<boolean> {
    return this.q.run('delete the subject', async (db) => {
      const r = await db
        .deleteFrom('subjects')
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  setPaused(initial: SubjectRow): Promise<void> {
    const row = subjectToRow(initial);
    return this.q.run('pause or resume the subject', async (db) => {
      await db
        .insertInto('subjects')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['shop_id', 'id'])
            .doUpdateSet({ paused: bit(initial.paused), updated_at: row.updated_at }),
        )
        .execute();
    });
  }

  listExpired(shopId: string, now: number): Promise<SubjectRow[]> {
    return this.q.run('list subjects whose consent expired', async (db) => {
      const rows = await db
        .selectFrom('subjects')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('valid_until', '<=', now)
        .orderBy('id')
        .execute();
      return rows.map(rowToSubject);
    });
  }

  getMany(shopId: string, ids: readonly string[]): Promise<SubjectRow[]> {
    return this.q.run('read subjects', async () => {
      if (ids.length === 0) return [];
      const rows = await this.q.driver.selectSubjects(shopId, [...new Set(ids)]);
      return rows.map(rowToSubject);
    });
  }

  list(shopId: string): Promise<SubjectRow[]> {
    return this.q.run('list subjects', async (db) => {
      const rows = await db
        .selectFrom('subjects')
        .selectAll()
        .where('shop_id', '=', shopId)
        .orderBy('id')
        .execute();
      return rows.map(rowToSubject);
    });
  }
}
