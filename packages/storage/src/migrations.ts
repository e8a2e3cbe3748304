import {
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type RawBuilder,
  sql,
} from 'kysely';

/**
 * In-code migrations, applied in key order by Kysely's Migrator. The column types chosen
 * here mean the same in both dialects (in SQLite `bigint` has integer affinity, `boolean`
 * numeric, `double precision` real); only identifier columns differ: PostgreSQL gets
 * `collate "C"` so ids sort by code point (as in SQLite and JavaScript) whatever the
 * database locale, which keeps (ts, id) paging identical across drivers.
 */

type TextKey = ColumnDataType | RawBuilder<unknown>;

const required = (c: ColumnDefinitionBuilder) => c.notNull();
const ofShop = (c: ColumnDefinitionBuilder) => c.notNull().references('shops.id');

const initial = (key: TextKey): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('shops')
      .addColumn('id', key, (c) => c.primaryKey())
      .addColumn('name', 'text', required)
      .addColumn('policy', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('kind', 'text', required)
      .addColumn('hash', key, (c) => c.notNull().unique())
      .addColumn('prefix', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .addColumn('revoked_at', 'bigint')
      .addPrimaryKeyConstraint('api_keys_pk', ['shop_id', 'id'])
      .addCheckConstraint('api_keys_kind', sql`kind in ('secret', 'public')`)
      .execute();

    await db.schema
      .createTable('subjects')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('level', 'integer', required)
      .addColumn('purposes', 'text', required)
      .addColumn('notice_version', 'integer', required)
      .addColumn('gpc', 'boolean', required)
      .addColumn('paused', 'boolean', required)
      .addColumn('dpv_state', 'text', required)
      .addColumn('valid_until', 'bigint')
      .addColumn('purpose_scopes', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .addColumn('updated_at', 'bigint', required)
      .addPrimaryKeyConstraint('subjects_pk', ['shop_id', 'id'])
      .addCheckConstraint('subjects_level', sql`level between 0 and 3`)
      .execute();

    await db.schema
      .createTable('consent_records')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('subject_id', key, required)
      .addColumn('seq', 'integer', required)
      .addColumn('event_time', 'bigint', required)
      .addColumn('record', 'text', required)
      .addPrimaryKeyConstraint('consent_records_pk', ['shop_id', 'id'])
      .addUniqueConstraint('consent_records_ledger', ['shop_id', 'subject_id', 'seq'])
      .execute();

    await db.schema
      .createTable('notices')
      .addColumn('shop_id', key, ofShop)
      .addColumn('notice_id', key, required)
      .addColumn('language', key, required)
      .addColumn('version', 'integer', required)
      .addColumn('text', 'text', required)
      .addColumn('text_hash', 'text', required)
      .addColumn('scope_hash', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .addPrimaryKeyConstraint('notices_pk', ['shop_id', 'notice_id', 'language', 'version'])
      .execute();

    await db.schema
      .createTable('items')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('title', 'text', required)
      .addColumn('category_path', 'text', required)
      .addColumn('price', 'double precision', required)
      .addColumn('currency', 'text', required)
      .addColumn('attributes', 'text', required)
      .addColumn('available', 'boolean', required)
      .addColumn('updated_at', 'bigint', required)
      .addPrimaryKeyConstraint('items_pk', ['shop_id', 'id'])
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('subject_id', key, required)
      .addColumn('session_id', key, required)
      .addColumn('type', 'text', required)
      .addColumn('category', 'text', required)
      .addColumn('item_id', 'text')
      .addColumn('quantity', 'integer')
      .addColumn('price', 'double precision')
      .addColumn('order_id', 'text')
      .addColumn('data', 'text')
      .addColumn('ts', 'bigint', required)
      .addColumn('expires_at', 'bigint')
      .addColumn('session_scoped', 'boolean', required)
      // No CHECK on `type` here: it would cost a fifth of SQLite's ingest rate, and
      // events are validated against the policy before they get this far.
      .addPrimaryKeyConstraint('events_pk', ['shop_id', 'id'])
      .execute();
    // Two secondary indexes only: each one costs ingest about a third of its rate. Session
    // reads go through the subject (a session belongs to one subject), and full scans page
    // by primary key (event ids start with their creation time).
    await db.schema
      .createIndex('events_subject')
      .on('events')
      .columns(['shop_id', 'subject_id', 'session_id'])
      .execute();
    await db.schema.createIndex('events_expiry').on('events').column('expires_at').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('subject_id', key, required)
      .addColumn('last_seen', 'bigint', required)
      .addPrimaryKeyConstraint('sessions_pk', ['shop_id', 'subject_id', 'id'])
      .execute();
    await db.schema.createIndex('sessions_last_seen').on('sessions').column('last_seen').execute();
  },
});

/**
 * The customer's rights (issue 12): erasure jobs and their receipts, "don't use this"
 * exclusions, objections, the rights-request register (R1), the audit log (D5) and the
 * identity store (D3). Identity keys and fields are separate tables, so that erasure can
 * destroy the key first (crypto-shredding) and a backup policy can treat them apart.
 */
const rights = (key: TextKey): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('erasures')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      // The subject's id while the job runs (it must be resumable); null once it is done.
      .addColumn('subject_id', key)
      .addColumn('subject_hash', key, required)
      .addColumn('status', 'text', required)
      .addColumn('requested_at', 'bigint', required)
      .addColumn('completed_at', 'bigint')
      .addColumn('attempts', 'integer', required)
      .addColumn('progress', 'text', required)
      .addColumn('receipt', 'text')
      .addColumn('last_error', 'text')
      .addPrimaryKeyConstraint('erasures_pk', ['shop_id', 'id'])
      .addCheckConstraint('erasures_status', sql`status in ('pending', 'completed')`)
      .execute();
    await db.schema
      .createIndex('erasures_subject')
      .on('erasures')
      .columns(['shop_id', 'subject_hash'])
      .execute();
    await db.schema.createIndex('erasures_status').on('erasures').column('status').execute();

    await db.schema
      .createTable('exclusions')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      .addColumn('subject_id', key, required)
      .addColumn('item_id', 'text')
      .addColumn('category', 'text')
      .addColumn('created_at', 'bigint', required)
      .addPrimaryKeyConstraint('exclusions_pk', ['shop_id', 'id'])
      .execute();
    await db.schema
      .createIndex('exclusions_subject')
      .on('exclusions')
      .columns(['shop_id', 'subject_id'])
      .execute();

    await db.schema
      .createTable('objections')
      .addColumn('shop_id', key, ofShop)
      .addColumn('subject_id', key, required)
      .addColumn('direct_marketing', 'boolean', required)
      .addColumn('profiling', 'boolean', required)
      .addColumn('updated_at', 'bigint', required)
      .addPrimaryKeyConstraint('objections_pk', ['shop_id', 'subject_id'])
      .execute();

    await db.schema
      .createTable('rights_requests')
      .addColumn('shop_id', key, ofShop)
      .addColumn('id', key, required)
      // The subject's id; its hash (sha256:…) once the subject is erased.
      .addColumn('subject_id', key, required)
      .addColumn('kind', 'text', required)
      .addColumn('received_at', 'bigint', required)
      .addColumn('deadline_at', 'bigint', required)
      .addColumn('completed_at', 'bigint')
      .addColumn('proof', 'text', required)
      .addColumn('detail', 'text')
      .addPrimaryKeyConstraint('rights_requests_pk', ['shop_id', 'id'])
      .execute();
    await db.schema
      .createIndex('rights_requests_subject')
      .on('rights_requests')
      .columns(['shop_id', 'subject_id'])
      .execute();

    await db.schema
      .createTable('audit_entries')
      .addColumn('shop_id', key, ofShop)
      .addColumn('seq', 'bigint', required)
      .addColumn('ts', 'bigint', required)
      .addColumn('kind', 'text', required)
      // Hashed subject ids only (sha256:…), so that no erasure ever has to touch the log.
      .addColumn('subject', key)
      .addColumn('data', 'text', required)
      .addColumn('prev', 'text', required)
      .addPrimaryKeyConstraint('audit_entries_pk', ['shop_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_entries_subject')
      .on('audit_entries')
      .columns(['shop_id', 'subject'])
      .execute();
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('shop_id', key, ofShop)
      .addColumn('size', 'bigint', required)
      .addColumn('ts', 'bigint', required)
      .addColumn('root_hash', 'text', required)
      .addColumn('text', 'text', required)
      .addPrimaryKeyConstraint('audit_checkpoints_pk', ['shop_id', 'size', 'ts'])
      .execute();
    await db.schema
      .createTable('audit_keys')
      .addColumn('shop_id', key, (c) => c.primaryKey().references('shops.id'))
      .addColumn('public_key', 'text', required)
      .addColumn('private_key', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .execute();

    await db.schema
      .createTable('identity_keys')
      .addColumn('shop_id', key, ofShop)
      .addColumn('subject_id', key, required)
      .addColumn('wrapped', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .addPrimaryKeyConstraint('identity_keys_pk', ['shop_id', 'subject_id'])
      .execute();
    await db.schema
      .createTable('identity_fields')
      .addColumn('shop_id', key, ofShop)
      .addColumn('subject_id', key, required)
      .addColumn('field', key, required)
      .addColumn('value', 'text', required)
      .addColumn('updated_at', 'bigint', required)
      .addPrimaryKeyConstraint('identity_fields_pk', ['shop_id', 'subject_id', 'field'])
      .execute();
  },
});

/** Answers kept for `Idempotency-Key` replays (24 h), purged by the retention job. */
const idempotencyKeys = (key: TextKey): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('shop_id', key, ofShop)
      .addColumn('scope', key, required)
      .addColumn('key', key, required)
      .addColumn('fingerprint', 'text', required)
      .addColumn('status', 'integer', required)
      .addColumn('response', 'text', required)
      .addColumn('created_at', 'bigint', required)
      .addColumn('expires_at', 'bigint', required)
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['shop_id', 'scope', 'key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_expiry')
      .on('idempotency_keys')
      .column('expires_at')
      .execute();
  },
});

/**
 * The origins (scheme://host[:port]) whose pages may embed the shop's customer pages (privacy
 * center, notice) in a frame, as a JSON array; none by default.
 */
const shopOrigins: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('shops')
      .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  },
};

export function migrationsFor(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  const key: TextKey = dialect === 'postgres' ? sql`text collate "C"` : 'text';
  return {
    '0001_initial': initial(key),
    '0002_idempotency_keys': idempotencyKeys(key),
    '0003_rights': rights(key),
    '0004_shop_origins': shopOrigins,
  };
}
