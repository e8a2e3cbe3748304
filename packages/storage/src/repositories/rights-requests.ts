import type { Selectable } from 'kysely';
import type { QueryRunner } from '../runner';
import type { RightsRequestsTable } from '../schema';
import type { RightsRequestRepository, RightsRequestRow } from '../types';

const fromRow = (r: Selectable<RightsRequestsTable>): RightsRequestRow => ({
  shopId: r.shop_id,
  id: r.id,
  subjectId: r.subject_id,
  kind: r.kind as RightsRequestRow['kind'],
  receivedAt: r.received_at,
  deadlineAt: r.deadline_at,
  completedAt: r.completed_at,
  proof: r.proof as RightsRequestRow['proof'],
  detail: r.detail,
});

/** The register of rights requests (R1): what was asked, when it is due, when it was done. */
export class KyselyRightsRequests implements RightsRequestRepository {
  constructor(private readonly q: QueryRunner) {}

  add(r: RightsRequestRow): Promise<void> {
    return this.q.run('record the rights request', async (db) => {
      await db
        .insertInto('rights_requests')
        .values({
          shop_id: r.shopId,
          id: r.id,
          subject_id: r.subjectId,
          kind: r.kind,
          received_at: r.receivedAt,
          deadline_at: r.deadlineAt,
          completed_at: r.completedAt,
          proof: r.proof,
          detail: r.detail,
        })
        .execute();
    });
  }

  complete(shopId: string, id: string, completedAt: number): Promise<void> {
    return this.q.run('complete the rights request', async (db) => {
      await db
        .updateTable('rights_requests')
        .set({ completed_at: completedAt })
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .execute();
    });
  }

  list(shopId: string, opts: { limit?: number } = {}): Promise<RightsRequestRow[]> {
    return this.q.run('list the rights requests', async (db) => {
      const rows = await db
        .selectFrom('rights_requests')
        .selectAll()
        .where('shop_id', '=', shopId)
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .$if(opts.limit !== undefined, (q) => q.limit(opts.limit ?? 0))
        .execute();
      return rows.map(fromRow);
    });
  }

  listForSubject(shopId: string, subjectId: string): Promise<RightsRequestRow[]> {
    return this.q.run('list the subject rights requests', async (db) => {
      const rows = await db
        .selectFrom('rights_requests')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .orderBy('received_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    });
  }

  deleteBefore(shopId: string, before: number): Promise<number> {
    return this.q.run('delete old rights requests', async (db) => {
      const r = await db
        .deleteFrom('rights_requests')
        .where('shop_id', '=', shopId)
        .where('received_at', '<', before)
        .where('completed_at', 'is not', null)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  pseudonymize(shopId: string, subjectId: string, hashed: string): Promise<number> {
    return this.q.run('keep the rights requests under a hashed id', async (db) => {
      const r = await db
        .updateTable('rights_requests')
        .set({ subject_id: hashed })
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    });
  }
}
