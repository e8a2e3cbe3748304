import { itemToRow, lastPerKey, rowToItem } from '../rows';
import type { QueryRunner } from '../runner';
import type { CatalogRepository, ItemRow, ListOptions } from '../types';
import { chunks } from './chunks';

export class KyselyCatalog implements CatalogRepository {
  constructor(private readonly q: QueryRunner) {}

  upsert(items: readonly ItemRow[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const rows = lastPerKey(items).map(itemToRow);
    return this.q.atomic('store items', async (trx) => {
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
  }

  get(shopId: string, id: string): Promise<ItemRow | undefined> {
    return this.q.run('read the item', async (db) => {
      const row = await db
        .selectFrom('items')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && rowToItem(row);
    });
  }

  list(shopId: string, opts: ListOptions = {}): Promise<ItemRow[]> {
    const { after, limit, updatedSince } = opts;
    return this.q.run('list items', async (db) => {
      const rows = await db
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

  count(shopId: string): Promise<number> {
    return this.q.run('count items', async (db) => {
      const { n } = await db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('shop_id', '=', shopId)
        .executeTakeFirstOrThrow();
      return Number(n);
    });
  }
}
