import { apiKeyToRow, rowToApiKey } from '../rows';
import type { QueryRunner } from '../runner';
import type { ApiKeyRow, KeyRepository } from '../types';

export class KyselyKeys implements KeyRepository {
  constructor(private readonly q: QueryRunner) {}

  add(key: ApiKeyRow): Promise<void> {
    return this.q.run('add the API key', async (db) => {
      await db.insertInto('api_keys').values(apiKeyToRow(key)).execute();
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
