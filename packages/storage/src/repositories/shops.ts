import { StorageError } from '../errors';
import { rowToShop, shopToRow } from '../rows';
import type { QueryRunner } from '../runner';
import type { ShopRepository, ShopRow } from '../types';

export class KyselyShops implements ShopRepository {
  constructor(private readonly q: QueryRunner) {}

  create(shop: ShopRow): Promise<void> {
    return this.q.run('create the shop', async (db) => {
      await db.insertInto('shops').values(shopToRow(shop)).execute();
    });
  }

  get(id: string): Promise<ShopRow | undefined> {
    return this.q.run('read the shop', async (db) => {
      const row = await db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirst();
      return row && rowToShop(row);
    });
  }

  list(): Promise<ShopRow[]> {
    return this.q.run('list shops', async (db) => {
      const rows = await db.selectFrom('shops').selectAll().orderBy('id').execute();
      return rows.map(rowToShop);
    });
  }

  updatePolicy(id: string, policy: string): Promise<void> {
    return this.q.run('update the shop policy', async (db) => {
      const { numUpdatedRows } = await db
        .updateTable('shops')
        .set({ policy })
        .where('id', '=', id)
        .executeTakeFirst();
      if (numUpdatedRows === 0n) {
        throw new StorageError('not_found', `Could not update the shop policy: shop ${id} does not exist.`);
      }
    });
  }

  updateOrigins(id: string, origins: readonly string[]): Promise<void> {
    return this.q.run("update the shop's origins", async (db) => {
      const { numUpdatedRows } = await db
        .updateTable('shops')
        .set({ origins: JSON.stringify(origins) })
        .where('id', '=', id)
        .executeTakeFirst();
      if (numUpdatedRows === 0n) {
        throw new StorageError(
          'not_found',
          `Could not update the shop's origins: shop ${id} does not exist.`,
        );
      }
    });
  }
}
