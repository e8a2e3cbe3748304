import type { SqlBool } from 'kysely';

/**
 * Table shapes as the query layer sees them: snake_case columns, JSON as text, booleans as
 * `SqlBool` (SQLite stores 0/1, PostgreSQL `boolean`), times as epoch-ms numbers.
 */

export interface ShopsTable {
  id: string;
  name: string;
  policy: string;
  created_at: number;
  /** JSON array of origins. */
  origins: string;
}

export interface ApiKeysTable {
  shop_id: string;
  id: string;
  kind: string;
  hash: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface SubjectsTable {
  shop_id: string;
  id: string;
  level: number;
  purposes: string;
  notice_version: number;
  gpc: SqlBool;
  paused: SqlBool;
  dpv_state: string;
  valid_until: number | null;
  purpose_scopes: string;
  created_at: number;
  updated_at: number;
}

export interface ConsentRecordsTable {
  shop_id: string;
  id: string;
  subject_id: string;
  /** Position in the subject's ledger (1, 2, …): the append order. */
  seq: number;
  event_time: number;
  record: string;
}

export interface NoticesTable {
  shop_id: string;
  notice_id: string;
  language: string;
  version: number;
  text: string;
  text_hash: string;
  scope_hash: string;
  created_at: number;
}

export interface ItemsTable {
  shop_id: string;
  id: string;
  title: string;
  category_path: string;
  price: number;
  currency: string;
  attributes: string;
  available: SqlBool;
  updated_at: number;
}

export interface EventsTable {
  shop_id: string;
  id: string;
  subject_id: string;
  session_id: string;
  type: string;
  category: string;
  item_id: string | null;
  quantity: number | null;
  price: number | null;
  order_id: string | null;
  data: string | null;
  ts: number;
  expires_at: number | null;
  session_scoped: SqlBool;
}

export interface SessionsTable {
  shop_id: string;
  id: string;
  subject_id: string;
  last_seen: number;
}

export interface IdempotencyKeysTable {
  shop_id: string;
  /** Who used the key: `secret`, or `public:` and a hash of the subject (never the subject id). */
  scope: string;
  key: string;
  /** SHA-256 of the method, path, query and body of the first request. */
  fingerprint: string;
  status: number;
  /** The first answer's JSON body. */
  response: string;
  created_at: number;
  expires_at: number;
}

export interface Database {
  shops: ShopsTable;
  api_keys: ApiKeysTable;
  subjects: SubjectsTable;
  consent_records: ConsentRecordsTable;
  notices: NoticesTable;
  items: ItemsTable;
  events: EventsTable;
  sessions: SessionsTable;
  idempotency_keys: IdempotencyKeysTable;
}
