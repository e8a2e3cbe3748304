import { noticeToRow, rowToNotice } from '../rows';
import type { QueryRunner } from '../runner';
import type { NoticeRepository, NoticeRow } from '../types';

export class KyselyNotices implements NoticeRepository {
  constructor(private readonly q: QueryRunner) {}

  put(notice: NoticeRow): Promise<void> {
    return this.q.run('store the notice', async (db) => {
      await db
        .insertInto('notices')
        .values(noticeToRow(notice))
        .onConflict((oc) => oc.columns(['shop_id', 'notice_id', 'language', 'version']).doNothing())
        .execute();
    });
  }

  get(shopId: string, noticeId: string, version: number, language: string): Promise<NoticeRow | undefined> {
    return this.q.run('read the notice', async (db) => {
      const row = await db
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

  latest(shopId: string, noticeId: string, language: string): Promise<NoticeRow | undefined> {
    return this.q.run('read the notice', async (db) => {
      const row = await db
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
}
