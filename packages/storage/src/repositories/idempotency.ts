import type { Selectable } from 'kysely';
import type { QueryRunner } from '../runner';
import type { IdempotencyKeysTable } from '../schema';
import type { IdempotencyRepository, IdempotencyRow } from '../types';

const toRow = (r: IdempotencyRow): IdempotencyKeysTable => ({
  shop_id: r.shopId,
  scope: r.scope,
  key: r.key,
  fingerprint: r.fingerprint,
  status: r.status,
  response: r.response,
  created_at: r.createdAt,
  expires_at: r.expiresAt,
});

const fromRow = (r: Selectable<IdempotencyKeysTable>): IdempotencyRow => ({
  shopId: r.shop_id,
  scope: r.scope,
  key: r.key,
  fingerprint: r.fingerprint,
  status: r.status,
  response: r.response,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export class KyselyIdempotency implements IdempotencyRepository {
  constructor(private readonly q: QueryRunner) {}

  get(shopId: string, scope: string, key: string, now: number): Promise<IdempotencyRow | undefined> {
    return this.q.run('read the idempotency key', async (db) => {
      const row = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && fromRow(row);
    });
  }

  put(row: IdempotencyRow): Promise<boolean> {
    return this.q.run('store the idempotency key', async (db) => {
      // One statement: a live answer is never overwritten, an expired one is replaced.
      const r = await db
        .insertInto('idempotency_keys')
        .values(toRow(row))
        .onConflict((oc) =>
          oc
            .columns(['shop_id', 'scope', 'key'])
            .doUpdateSet((eb) => ({
              fingerprint: eb.ref('excluded.fingerprint'),
              status: eb.ref('excluded.status'),
              response: eb.ref('excluded.response'),
              created_at: eb.ref('excluded.created_at'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('idempotency_keys.expires_at', '<=', row.createdAt),
        )
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    });
  }

  purgeExpired(now: number): Promise<number> {
    return this.q.run('purge expired idempotency keys', async (db) => {
      const r = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  countScope(shopId: string, scope: string): Promise<number> {
    return this.q.run('count the idempotency answers of a caller', async (db) => {
      const r = await db
        .selectFrom('idempotency_keys')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('shop_id', '=', shopId)
        .where('scope', '=', scope)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    });
  }

  deleteScope(shopId: string, scope: string): Promise<number> {
    return this.q.run('delete the idempotency answers of a caller', async (db) => {
      const r = await db
        .deleteFrom('idempotency_keys')
        .where('shop_id', '=', shopId)
        .where('scope', '=', scope)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
}
