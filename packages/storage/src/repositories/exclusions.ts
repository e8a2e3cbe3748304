import type { Selectable } from 'kysely';
import { bit } from '../rows';
import type { QueryRunner } from '../runner';
import type { ExclusionsTable, ObjectionsTable } from '../schema';
import type { ExclusionRepository, ExclusionRow, ObjectionRepository, ObjectionRow } from '../types';

const fromRow = (r: Selectable<ExclusionsTable>): ExclusionRow => ({
  shopId: r.shop_id,
  id: r.id,
  subjectId: r.subject_id,
  itemId: r.item_id,
  category: r.category === null ? null : (JSON.parse(r.category) as string[]),
  createdAt: r.created_at,
});

/** "Don't use this" (R3): what the subject asked to leave out of their personalization. */
export class KyselyExclusions implements ExclusionRepository {
  constructor(private readonly q: QueryRunner) {}

  add(e: ExclusionRow): Promise<void> {
    return this.q.run('store the exclusion', async (db) => {
      await db
        .insertInto('exclusions')
        .values({
          shop_id: e.shopId,
          id: e.id,
          subject_id: e.subjectId,
          item_id: e.itemId,
          category: e.category === null ? null : JSON.stringify(e.category),
          created_at: e.createdAt,
        })
        .execute();
    });
  }

  list(shopId: string, subjectId: string): Promise<ExclusionRow[]> {
    return this.q.run('list the exclusions', async (db) => {
      const rows = await db
        .selectFrom('exclusions')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    });
  }

  delete(shopId: string, subjectId: string, id: string): Promise<boolean> {
    return this.q.run('delete the exclusion', async (db) => {
      const r = await db
        .deleteFrom('exclusions')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  deleteForSubject(shopId: string, subjectId: string): Promise<number> {
    return this.q.run('delete the subject exclusions', async (db) => {
      const r = await db
        .deleteFrom('exclusions')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
}

const objectionFromRow = (r: Selectable<ObjectionsTable>): ObjectionRow => ({
  shopId: r.shop_id,
  subjectId: r.subject_id,
  directMarketing: Boolean(r.direct_marketing),
  profiling: Boolean(r.profiling),
  updatedAt: r.updated_at,
});

/** Objections (O3): kept apart from consent, so that no later choice can quietly undo one. */
export class KyselyObjections implements ObjectionRepository {
  constructor(private readonly q: QueryRunner) {}

  get(shopId: string, subjectId: string): Promise<ObjectionRow | undefined> {
    return this.q.run('read the objection', async (db) => {
      const r = await db
        .selectFrom('objections')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      return r && objectionFromRow(r);
    });
  }

  put(o: ObjectionRow): Promise<void> {
    const row = {
      shop_id: o.shopId,
      subject_id: o.subjectId,
      direct_marketing: bit(o.directMarketing),
      profiling: bit(o.profiling),
      updated_at: o.updatedAt,
    };
    return this.q.run('store the objection', async (db) => {
      await db
        .insertInto('objections')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['shop_id', 'subject_id']).doUpdateSet({
            direct_marketing: row.direct_marketing,
            profiling: row.profiling,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    });
  }

  delete(shopId: string, subjectId: string): Promise<boolean> {
    return this.q.run('delete the objection', async (db) => {
      const r = await db
        .deleteFrom('objections')
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }
}
