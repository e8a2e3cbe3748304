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
    '0003_shop_origins': shopOrigins,
  };
}
