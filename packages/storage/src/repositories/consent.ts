import { StorageError } from '../errors';
import { rowToConsentRecord, subjectToRow } from '../rows';
import type { QueryRunner } from '../runner';
import type { ConsentRecordRow, ConsentRepository, SubjectRow } from '../types';

export class KyselyConsent implements ConsentRepository {
  constructor(private readonly q: QueryRunner) {}

  save(subject: SubjectRow, record: ConsentRecordRow): Promise<void> {
    if (record.shopId !== subject.shopId || record.subjectId !== subject.id) {
      return Promise.reject(
        new StorageError('constraint', 'Could not save the consent: the record belongs to another subject.'),
      );
    }
    const row = subjectToRow(subject);
    return this.q.atomic('save the consent', async (trx) => {
      // The upsert locks the subject's row (PostgreSQL), so concurrent saves for one
      // subject take turns and read each other's ledger position.
      await trx
        .insertInto('subjects')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['shop_id', 'id']).doUpdateSet({
            level: row.level,
            purposes: row.purposes,
            notice_version: row.notice_version,
            gpc: row.gpc,
            paused: row.paused,
            dpv_state: row.dpv_state,
            valid_until: row.valid_until,
            purpose_scopes: row.purpose_scopes,
            updated_at: row.updated_at,
          }),
        )
        .execute();
      const { last } = await trx
        .selectFrom('consent_records')
        .select((eb) => eb.fn.max<number | null>('seq').as('last'))
        .where('shop_id', '=', record.shopId)
        .where('subject_id', '=', record.subjectId)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('consent_records')
        .values({
          shop_id: record.shopId,
          id: record.id,
          subject_id: record.subjectId,
          seq: (last ?? 0) + 1,
          event_time: record.eventTime,
          record: record.record,
        })
        .execute();
    });
  }

  listRecords(shopId: string, subjectId: string): Promise<ConsentRecordRow[]> {
    return this.q.run('list consent records', async (db) => {
      const rows = await db
        .selectFrom('consent_records')
        .select(['shop_id', 'id', 'subject_id', 'event_time', 'record'])
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .orderBy('seq')
        .execute();
      return rows.map(rowToConsentRecord);
    });
  }

  pseudonymize(shopId: string, subjectId: string, hashed: string): Promise<number> {
    return this.q.atomic('keep the consent records under a hashed id', async (trx) => {
      const rows = await trx
        .selectFrom('consent_records')
        .select(['id', 'seq', 'record'])
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', subjectId)
        .execute();
      // A subject id used again after an earlier erasure: its records go after those kept then.
      const { kept } = await trx
        .selectFrom('consent_records')
        .select((eb) => eb.fn.max<number | null>('seq').as('kept'))
        .where('shop_id', '=', shopId)
        .where('subject_id', '=', hashed)
        .executeTakeFirstOrThrow();
      for (const r of rows) {
        const record = JSON.parse(r.record) as Record<string, unknown>;
        if (record.subject_id === subjectId) record.subject_id = hashed;
        await trx
          .updateTable('consent_records')
          .set({ subject_id: hashed, seq: (kept ?? 0) + r.seq, record: JSON.stringify(record) })
          .where('shop_id', '=', shopId)
          .where('id', '=', r.id)
          .execute();
      }
      return rows.length;
    });
  }

  deleteBefore(shopId: string, before: number): Promise<number> {
    return this.q.run('delete old consent records', async (db) => {
      const r = await db
        .deleteFrom('consent_records')
        .where('shop_id', '=', shopId)
        .where('event_time', '<', before)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
}
