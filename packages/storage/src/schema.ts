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

export interface ErasuresTable {
  shop_id: string;
  id: string;
  subject_id: string | null;
  subject_hash: string;
  status: string;
  requested_at: number;
  completed_at: number | null;
  attempts: number;
  progress: string;
  receipt: string | null;
  last_error: string | null;
}

export interface ExclusionsTable {
  shop_id: string;
  id: string;
  subject_id: string;
  item_id: string | null;
  /** A catalog category path as JSON text. */
  category: string | null;
  created_at: number;
}

export interface ObjectionsTable {
  shop_id: string;
  subject_id: string;
  direct_marketing: SqlBool;
  profiling: SqlBool;
  updated_at: number;
}

export interface RightsRequestsTable {
  shop_id: string;
  id: string;
  subject_id: string;
  kind: string;
  received_at: number;
  deadline_at: number;
  completed_at: number | null;
  proof: string;
  detail: string | null;
}

export interface AuditEntriesTable {
  shop_id: string;
  seq: number;
  ts: number;
  kind: string;
  subject: string | null;
  data: string;
  prev: string;
}

export interface AuditCheckpointsTable {
  shop_id: string;
  size: number;
  ts: number;
  root_hash: string;
  text: string;
}

export interface AuditKeysTable {
  shop_id: string;
  public_key: string;
  private_key: string;
  created_at: number;
}

export interface IdentityKeysTable {
  shop_id: string;
  subject_id: string;
  /** The wrapped subject key, base64url. */
  wrapped: string;
  created_at: number;
}

export interface IdentityFieldsTable {
  shop_id: string;
  subject_id: string;
  field: string;
  /** The sealed field, base64url. */
  value: string;
  updated_at: number;
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
  erasures: ErasuresTable;
  exclusions: ExclusionsTable;
  objections: ObjectionsTable;
  rights_requests: RightsRequestsTable;
  audit_entries: AuditEntriesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_keys: AuditKeysTable;
  identity_keys: IdentityKeysTable;
  identity_fields: IdentityFieldsTable;
  idempotency_keys: IdempotencyKeysTable;
}
