import type { Selectable } from 'kysely';
import type {
  ApiKeysTable,
  ConsentRecordsTable,
  EventsTable,
  ItemsTable,
  NoticesTable,
  ShopsTable,
  SubjectsTable,
} from './schema';
import type {
  ApiKeyRow,
  ConsentRecordRow,
  EventRow,
  EventTypeName,
  ItemRow,
  KeyKind,
  NoticeRow,
  SessionRow,
  ShopRow,
  SubjectRow,
} from './types';

/** 0/1 binds in better-sqlite3 and is valid `boolean` input in PostgreSQL. */
export const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);

export const shopToRow = (s: ShopRow): ShopsTable => ({
  id: s.id,
  name: s.name,
  policy: s.policy,
  created_at: s.createdAt,
  origins: JSON.stringify(s.origins),
});

export const rowToShop = (r: Selectable<ShopsTable>): ShopRow => ({
  id: r.id,
  name: r.name,
  policy: r.policy,
  createdAt: r.created_at,
  origins: JSON.parse(r.origins) as string[],
});

export const apiKeyToRow = (k: ApiKeyRow): ApiKeysTable => ({
  shop_id: k.shopId,
  id: k.id,
  kind: k.kind,
  hash: k.hash,
  prefix: k.prefix,
  created_at: k.createdAt,
  revoked_at: k.revokedAt,
});

export const rowToApiKey = (r: Selectable<ApiKeysTable>): ApiKeyRow => ({
  id: r.id,
  shopId: r.shop_id,
  kind: r.kind as KeyKind,
  hash: r.hash,
  prefix: r.prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export const subjectToRow = (s: SubjectRow): SubjectsTable => ({
  shop_id: s.shopId,
  id: s.id,
  level: s.level,
  purposes: JSON.stringify(s.purposes),
  notice_version: s.noticeVersion,
  gpc: bit(s.gpc),
  paused: bit(s.paused),
  dpv_state: s.dpvState,
  valid_until: s.validUntil,
  purpose_scopes: JSON.stringify(s.purposeScopes),
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

export const rowToSubject = (r: Selectable<SubjectsTable>): SubjectRow => ({
  shopId: r.shop_id,
  id: r.id,
  level: r.level as SubjectRow['level'],
  purposes: JSON.parse(r.purposes) as SubjectRow['purposes'],
  noticeVersion: r.notice_version,
  gpc: Boolean(r.gpc),
  paused: Boolean(r.paused),
  dpvState: r.dpv_state as SubjectRow['dpvState'],
  validUntil: r.valid_until,
  purposeScopes: JSON.parse(r.purpose_scopes) as SubjectRow['purposeScopes'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const rowToConsentRecord = (
  r: Pick<ConsentRecordsTable, 'shop_id' | 'id' | 'subject_id' | 'event_time' | 'record'>,
): ConsentRecordRow => ({
  shopId: r.shop_id,
  id: r.id,
  subjectId: r.subject_id,
  eventTime: r.event_time,
  record: r.record,
});

export const noticeToRow = (n: NoticeRow): NoticesTable => ({
  shop_id: n.shopId,
  notice_id: n.noticeId,
  language: n.language,
  version: n.version,
  text: n.text,
  text_hash: n.textHash,
  scope_hash: n.scopeHash,
  created_at: n.createdAt,
});

export const rowToNotice = (r: Selectable<NoticesTable>): NoticeRow => ({
  shopId: r.shop_id,
  noticeId: r.notice_id,
  version: r.version,
  language: r.language,
  text: r.text,
  textHash: r.text_hash,
  scopeHash: r.scope_hash,
  createdAt: r.created_at,
});

export const itemToRow = (i: ItemRow): ItemsTable => ({
  shop_id: i.shopId,
  id: i.id,
  title: i.title,
  category_path: JSON.stringify(i.categoryPath),
  price: i.price,
  currency: i.currency,
  attributes: JSON.stringify(i.attributes),
  available: bit(i.available),
  updated_at: i.updatedAt,
});

export const rowToItem = (r: Selectable<ItemsTable>): ItemRow => ({
  shopId: r.shop_id,
  id: r.id,
  title: r.title,
  categoryPath: JSON.parse(r.category_path) as string[],
  price: r.price,
  currency: r.currency,
  attributes: JSON.parse(r.attributes) as ItemRow['attributes'],
  available: Boolean(r.available),
  updatedAt: r.updated_at,
});

export const rowToEvent = (r: Selectable<EventsTable>): EventRow => ({
  shopId: r.shop_id,
  id: r.id,
  subjectId: r.subject_id,
  sessionId: r.session_id,
  type: r.type as EventTypeName,
  category: r.category,
  itemId: r.item_id,
  quantity: r.quantity,
  price: r.price,
  orderId: r.order_id,
  data: r.data,
  ts: r.ts,
  expiresAt: r.expires_at,
  sessionScoped: Boolean(r.session_scoped),
});

/** One row per (shop, id), last one wins: PostgreSQL refuses to upsert a row twice per statement. */
export function lastPerKey<T extends { shopId: string; id: string }>(rows: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) byKey.set(`${r.shopId}\u0000${r.id}`, r);
  return [...byKey.values()];
}

/**
 * One touch per session with the latest `lastSeen`, sorted by key so that concurrent
 * batches lock session rows in the same order.
 */
export function mergeSessions(sessions: readonly SessionRow[]): SessionRow[] {
  const byKey = new Map<string, SessionRow>();
  for (const s of sessions) {
    const key = `${s.shopId}\u0000${s.subjectId}\u0000${s.id}`;
    const seen = byKey.get(key);
    if (!seen || s.lastSeen > seen.lastSeen) byKey.set(key, s);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}
