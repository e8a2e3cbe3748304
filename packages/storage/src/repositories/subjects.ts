import { rowToSubject } from '../rows';
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
