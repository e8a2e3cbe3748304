import { type AuditEntry, AuditError, type SignedCheckpoint } from '@vitrine/audit';
import type { Kysely, Selectable } from 'kysely';
import { isStorageError } from '../errors';
import type { QueryRunner } from '../runner';
import type { AuditCheckpointsTable, AuditEntriesTable, Database } from '../schema';
import type { AuditKeyRow, AuditRepository } from '../types';

const entryFromRow = (r: Selectable<AuditEntriesTable>): AuditEntry => ({
  seq: r.seq,
  ts: r.ts,
  shop_id: r.shop_id,
  kind: r.kind,
  subject: r.subject,
  data: JSON.parse(r.data) as AuditEntry['data'],
  prev: r.prev,
});

const checkpointFromRow = (r: Selectable<AuditCheckpointsTable>): SignedCheckpoint => ({
  shopId: r.shop_id,
  size: r.size,
  rootHash: r.root_hash,
  timestamp: r.ts,
  origin: `vitrine.audit/${r.shop_id}`,
  text: r.text,
});

/**
 * The shop's size as the next seq: one past the highest, read from the primary key's end
 * (O(log n), where counting rows walks them all). Rows missing in the middle do not hide:
 * reading then returns fewer entries than the size, and the log refuses to go on (`log_damaged`).
 */
async function nextSeq(db: Kysely<Database>, shopId: string): Promise<number> {
  const { last } = await db
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.max<number | null>('seq').as('last'))
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  return last === null ? 0 : Number(last) + 1;
}

const conflict = (shopId: string, seq: number) =>
  new AuditError(
    'conflict',
    'seq',
    `seq ${seq} is not the next entry of ${shopId}: another writer was first`,
  );

/**
 * The audit log of D5 on SQLite and PostgreSQL, as `AuditStore` asks: entries are inserted
 * and never updated; (shop_id, seq) is the primary key, and an append whose first seq is not
 * the shop's current size fails with `AuditError('conflict')`, so two writers never fork the log.
 */
export class KyselyAudit implements AuditRepository {
  constructor(private readonly q: QueryRunner) {}

  async append(shopId: string, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const first = entries[0]!.seq;
    let taken = false;
    try {
      await this.q.atomic('append to the audit log', async (trx) => {
        if ((await nextSeq(trx, shopId)) !== first) {
          taken = true;
          return;
        }
        await trx
          .insertInto('audit_entries')
          .values(
            entries.map((e, i) => ({
              shop_id: shopId,
              seq: first + i,
              ts: e.ts,
              kind: e.kind,
              subject: e.subject,
              data: JSON.stringify(e.data),
              prev: e.prev,
            })),
          )
          .execute();
      });
    } catch (e) {
      if (isStorageError(e) && e.code === 'duplicate') throw conflict(shopId, first);
      throw e;
    }
    if (taken) throw conflict(shopId, first);
    for (const [i, e] of entries.entries()) {
      if (e.shop_id !== shopId || e.seq !== first + i) throw conflict(shopId, e.seq);
    }
  }

  size(shopId: string): Promise<number> {
    return this.q.run('count the audit log', (db) => nextSeq(db, shopId));
  }

  read(shopId: string, from: number, to: number): Promise<AuditEntry[]> {
    return this.q.run('read the audit log', async (db) => {
      const rows = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('seq', '>=', from)
        .where('seq', '<', to)
        .orderBy('seq')
        .execute();
      return rows.map(entryFromRow);
    });
  }

  listForSubject(shopId: string, subject: string): Promise<AuditEntry[]> {
    return this.q.run('read the subject audit entries', async (db) => {
      const rows = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('subject', '=', subject)
        .orderBy('seq')
        .execute();
      return rows.map(entryFromRow);
    });
  }

  saveCheckpoint(cp: SignedCheckpoint): Promise<void> {
    return this.q.run('store the checkpoint', async (db) => {
      await db
        .insertInto('audit_checkpoints')
        .values({
          shop_id: cp.shopId,
          size: cp.size,
          ts: cp.timestamp,
          root_hash: cp.rootHash,
          text: cp.text,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }

  checkpoints(shopId: string): Promise<SignedCheckpoint[]> {
    return this.q.run('read the checkpoints', async (db) => {
      const rows = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .where('shop_id', '=', shopId)
        .orderBy('size')
        .orderBy('ts')
        .execute();
      return rows.map(checkpointFromRow);
    });
  }

  latestCheckpoint(shopId: string): Promise<SignedCheckpoint | undefined> {
    return this.q.run('read the latest checkpoint', async (db) => {
      const r = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .where('shop_id', '=', shopId)
        .orderBy('size', 'desc')
        .orderBy('ts', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && checkpointFromRow(r);
    });
  }

  signingKey(shopId: string): Promise<AuditKeyRow | undefined> {
    return this.q.run('read the signing key', async (db) => {
      const r = await db
        .selectFrom('audit_keys')
        .selectAll()
        .where('shop_id', '=', shopId)
        .executeTakeFirst();
      return (
        r && {
          shopId: r.shop_id,
          publicKey: r.public_key,
          privateKey: r.private_key,
          createdAt: r.created_at,
        }
      );
    });
  }

  addSigningKey(key: AuditKeyRow): Promise<boolean> {
    return this.q.run('store the signing key', async (db) => {
      const r = await db
        .insertInto('audit_keys')
        .values({
          shop_id: key.shopId,
          public_key: key.publicKey,
          private_key: key.privateKey,
          created_at: key.createdAt,
        })
        .onConflict((oc) => oc.column('shop_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    });
  }
}
