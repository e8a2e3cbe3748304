import type {
  ApiKeyRow,
  ConsentRecordRow,
  EventRow,
  ItemRow,
  NoticeRow,
  SessionRow,
  ShopRow,
  SubjectRow,
} from '@vitrine/storage';

/** Rows for the storage contract: small, with every field set, and easy to vary. */

export const T0 = 1_700_000_000_000;
export const MIN = 60_000;

export const shop = (id: string): ShopRow => ({
  id,
  name: `Shop ${id}`,
  policy: `{"shop":"${id}"}`,
  createdAt: T0,
  origins: [],
});

export const apiKey = (
  shopId: string,
  id: string,
  hash: string,
  revokedAt: number | null = null,
): ApiKeyRow => ({
  id,
  shopId,
  kind: 'secret',
  hash,
  prefix: hash.slice(0, 6),
  createdAt: T0,
  revokedAt,
});

export const subject = (shopId: string, id: string, over: Partial<SubjectRow> = {}): SubjectRow => ({
  shopId,
  id,
  level: 1,
  purposes: { session: true, history: false },
  noticeVersion: 1,
  gpc: false,
  paused: false,
  dpvState: 'given',
  validUntil: T0 + 86_400_000,
  purposeScopes: { session: 'a'.repeat(64) },
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

export const consent = (subj: SubjectRow, id: string, eventTime: number): ConsentRecordRow => ({
  shopId: subj.shopId,
  id,
  subjectId: subj.id,
  eventTime,
  record: JSON.stringify({ id, level: subj.level, purposes: subj.purposes }),
});

export const notice = (shopId: string, version: number, language: string, text: string): NoticeRow => ({
  shopId,
  noticeId: 'main',
  version,
  language,
  text,
  textHash: `hash-${text}`,
  scopeHash: `scope-${version}`,
  createdAt: T0 + version,
});

export const item = (shopId: string, id: string, over: Partial<ItemRow> = {}): ItemRow => ({
  shopId,
  id,
  title: `Item ${id}`,
  categoryPath: ['Home', 'Kitchen'],
  price: 19.99,
  currency: 'EUR',
  attributes: { color: 'red' },
  available: true,
  updatedAt: T0,
  ...over,
});

export const event = (shopId: string, id: string, over: Partial<EventRow> = {}): EventRow => ({
  shopId,
  id,
  subjectId: 'sub_alice',
  sessionId: 'ses_1',
  type: 'view',
  category: 'browsing',
  itemId: 'i1',
  quantity: null,
  price: null,
  orderId: null,
  data: null,
  ts: T0,
  expiresAt: null,
  sessionScoped: false,
  ...over,
});

export const session = (
  shopId: string,
  id: string,
  lastSeen: number,
  subjectId = 'sub_alice',
): SessionRow => ({
  shopId,
  id,
  subjectId,
  lastSeen,
});

export async function collect(pages: AsyncIterable<EventRow[]>): Promise<EventRow[][]> {
  const out: EventRow[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Pretends the row's NOT NULL field is missing, as a bug in a caller might. */
export const withoutTitle = (i: ItemRow): ItemRow => ({ ...i, title: null as unknown as string });
