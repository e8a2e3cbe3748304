import type { IdentityField, SealedFields, SubjectRef, WrappedKeyRow } from '@vitrine/identity';
import type { QueryRunner } from '../runner';
import type { IdentityRepository } from '../types';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const bytes = (t: string): Buffer => Buffer.from(t, 'base64url');

/**
 * The identity store of D3 (implements `IdentityStore`): wrapped subject keys and sealed
 * fields in two tables, apart from the event data. Only ciphertext reaches these tables.
 */
export class KyselyIdentity implements IdentityRepository {
  constructor(private readonly q: QueryRunner) {}

  getKey(ref: SubjectRef): Promise<Uint8Array | undefined> {
    return this.q.run('read the subject key', async (db) => {
      const r = await db
        .selectFrom('identity_keys')
        .select('wrapped')
        .where('shop_id', '=', ref.shopId)
        .where('subject_id', '=', ref.subjectId)
        .executeTakeFirst();
      return r && bytes(r.wrapped);
    });
  }

  addKey(ref: SubjectRef, wrapped: Uint8Array): Promise<boolean> {
    return this.q.run('store the subject key', async (db) => {
      const r = await db
        .insertInto('identity_keys')
        .values({
          shop_id: ref.shopId,
          subject_id: ref.subjectId,
          wrapped: text(wrapped),
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['shop_id', 'subject_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    });
  }

  putKey(ref: SubjectRef, wrapped: Uint8Array): Promise<void> {
    return this.q.run('rewrap the subject key', async (db) => {
      await db
        .updateTable('identity_keys')
        .set({ wrapped: text(wrapped) })
        .where('shop_id', '=', ref.shopId)
        .where('subject_id', '=', ref.subjectId)
        .execute();
    });
  }

  deleteKey(ref: SubjectRef): Promise<boolean> {
    return this.q.run('destroy the subject key', async (db) => {
      const r = await db
        .deleteFrom('identity_keys')
        .where('shop_id', '=', ref.shopId)
        .where('subject_id', '=', ref.subjectId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  getFields(ref: SubjectRef): Promise<SealedFields> {
    return this.q.run('read the identity fields', async (db) => {
      const rows = await db
        .selectFrom('identity_fields')
        .select(['field', 'value'])
        .where('shop_id', '=', ref.shopId)
        .where('subject_id', '=', ref.subjectId)
        .execute();
      const out: SealedFields = {};
      for (const r of rows) out[r.field as IdentityField] = bytes(r.value);
      return out;
    });
  }

  putFields(ref: SubjectRef, fields: Partial<Record<IdentityField, Uint8Array | null>>): Promise<void> {
    return this.q.atomic('store the identity fields', async (trx) => {
      const now = Date.now();
      for (const [field, value] of Object.entries(fields) as [IdentityField, Uint8Array | null][]) {
        if (value === null) {
          await trx
            .deleteFrom('identity_fields')
            .where('shop_id', '=', ref.shopId)
            .where('subject_id', '=', ref.subjectId)
            .where('field', '=', field)
            .execute();
          continue;
        }
        await trx
          .insertInto('identity_fields')
          .values({
            shop_id: ref.shopId,
            subject_id: ref.subjectId,
            field,
            value: text(value),
            updated_at: now,
          })
          .onConflict((oc) =>
            oc
              .columns(['shop_id', 'subject_id', 'field'])
              .doUpdateSet({ value: text(value), updated_at: now }),
          )
          .execute();
      }
    });
  }

  deleteFields(ref: SubjectRef): Promise<number> {
    return this.q.run('delete the identity fields', async (db) => {
      const r = await db
        .deleteFrom('identity_fields')
        .where('shop_id', '=', ref.shopId)
        .where('subject_id', '=', ref.subjectId)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  listKeys(after: SubjectRef | undefined, limit: number): Promise<WrappedKeyRow[]> {
    return this.q.run('list the subject keys', async (db) => {
      const rows = await db
        .selectFrom('identity_keys')
        .select(['shop_id', 'subject_id', 'wrapped'])
        .$if(after !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('shop_id', '>', after!.shopId),
              eb.and([eb('shop_id', '=', after!.shopId), eb('subject_id', '>', after!.subjectId)]),
            ]),
          ),
        )
        .orderBy('shop_id')
        .orderBy('subject_id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ shopId: r.shop_id, subjectId: r.subject_id, wrapped: bytes(r.wrapped) }));
    });
  }
}
