import { apiKeyToRow, rowToApiKey } from '../rows';
import type { QueryRunner } from '../runner';
import type { ApiKeyRow, KeyKind, KeyRepository } from '../types';

export class KyselyKeys implements KeyRepository {
  constructor(private readonly q: QueryRunner) {}

  add(key: ApiKeyRow): Promise<void> {
    return this.q.run('add the API key', async (db) => {
      await db.insertInto('api_keys').values(apiKeyToRow(key)).execute();
    });
  }

  listForShop(shopId: string, kind: KeyKind): Promise<ApiKeyRow[]> {
    return this.q.run('list the shop keys', async (db) => {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('kind', '=', kind)
        .where('revoked_at', 'is', null)
        .orderBy('id')
        .execute();
      return rows.map(rowToApiKey);
    });
  }

  findByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.q.run('look up the API key', async (db) => {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row && rowToApiKey(row);
    });
  }
}
