import type { AuditEntry, AuditStore } from '@vitrine/audit';
import type { IdentityStore } from '@vitrine/identity';

/**
 * The stored records and the repositories every store implements (embedded SQLite and
 * PostgreSQL), one per aggregate. Every record belongs to a shop; every method takes the shop
 * id, and no method can read across shops. Times are epoch milliseconds.
 */

export interface ShopRow {
  id: string;
  name: string;
  /** The shop's policy document as JSON text (validated by @vitrine/policy before it is stored). */
  policy: string;
  createdAt: number;
  /**
   * Origins (`https://shop.example`) whose pages may embed the shop's customer pages (privacy
   * center, notice, record) in a frame; the customer pages accept the subject from them.
   */
  origins: string[];
}

export type KeyKind = 'secret' | 'public';

export interface ApiKeyRow {
  id: string;
  shopId: string;
  kind: KeyKind;
  /** SHA-256 (hex) of the full key; the key itself is never stored. */
  hash: string;
  /** The first characters of the key, shown to the merchant to tell keys apart. */
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface SubjectRow {
  shopId: string;
  id: string;
  level: 0 | 1 | 2 | 3;
  /** Purpose id → on/off: the effective per-purpose state (level bundle plus switches). */
  purposes: Record<string, boolean>;
  /** Notice version the current state was given under (0 = never asked). */
  noticeVersion: number;
  /** A Sec-GPC / globalPrivacyControl signal was seen (O1). */
  gpc: boolean;
  /** R6 restriction: data kept, personalization stopped. */
  paused: boolean;
  /** Consent state in DPV terms (C12). */
  dpvState: 'requested' | 'given' | 'refused' | 'withdrawn' | 'expired' | 'invalidated' | 'renewed';
  /** When the consent runs out (epoch ms); null when nothing is granted. */
  validUntil: number | null;
  /** Per granted purpose, the scope hash it was granted under (C11). */
  purposeScopes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** A consent record (PRIVACY.md C10), stored append-only. */
export interface ConsentRecordRow {
  shopId: string;
  id: string;
  subjectId: string;
  eventTime: number;
  /** The complete record as produced by @vitrine/consent, as JSON text. */
  record: string;
}

export interface NoticeRow {
  shopId: string;
  noticeId: string;
  version: number;
  language: string;
  /** The exact text shown, so any consent record's notice can be reproduced. */
  text: string;
  textHash: string;
  /** Fingerprint of the purposes, categories and recipients; a change bumps the version (C11). */
  scopeHash: string;
  createdAt: number;
}

export interface ItemRow {
  shopId: string;
  id: string;
  title: string;
  categoryPath: string[];
  price: number;
  currency: string;
  attributes: Record<string, string | number | boolean>;
  available: boolean;
  updatedAt: number;
}

export type EventTypeName = 'view' | 'search' | 'add_to_cart' | 'remove_from_cart' | 'purchase';

/**
 * One stored event. A purchase is stored as one row per order line (same orderId).
 * `data` holds the remaining minimised fields (search query, context) as JSON text.
 */
export interface EventRow {
  shopId: string;
  id: string;
  subjectId: string;
  sessionId: string;
  type: EventTypeName;
  /** The policy data category the event belongs to. */
  category: string;
  itemId: string | null;
  quantity: number | null;
  price: number | null;
  orderId: string | null;
  data: string | null;
  ts: number;
  /**
   * When the event must be gone. For session-scoped events (level 1 only) this is
   * null and the session's end decides (see SessionRow).
   */
  expiresAt: number | null;
  sessionScoped: boolean;
}

export interface SessionRow {
  shopId: string;
  id: string;
  subjectId: string;
  lastSeen: number;
}

/** The first answer to a request sent with an `Idempotency-Key`, kept to replay it. */
export interface IdempotencyRow {
  shopId: string;
  /** Who used the key (`secret`, or `public:` and a hash of the subject): keys never cross callers. */
  scope: string;
  key: string;
  /** Hash of the request (method, path, query, body): the same key with another request is a conflict. */
  fingerprint: string;
  status: number;
  response: string;
  createdAt: number;
  expiresAt: number;
}

export interface ListOptions {
  limit?: number;
  /** Keyset pagination: return rows with id greater than this. */
  after?: string;
  /** Only items changed at or after this time (epoch ms). */
  updatedSince?: number;
}

export interface EventScanOptions {
  /** Only events with ts >= since. */
  since?: number;
  /** Rows per page while scanning (default 10,000). */
  pageSize?: number;
}

export interface RetentionResult {
  expiredEvents: number;
  endedSessionEvents: number;
  endedSessions: number;
  /** The events deleted, so that the shared models can forget exactly these (in the same step). */
  removed: EventRow[];
}

/** What an erasure took from the event tables. */
export interface SubjectEventsErased {
  events: number;
  sessions: number;
}

/** A durable erasure job (R4): resumable until done, then a pseudonymous record with its receipt. */
export interface ErasureRow {
  shopId: string;
  id: string;
  /** The subject's id while the job runs; null once it is completed. */
  subjectId: string | null;
  /** The subject's id hashed (sha256:…): how a completed erasure is found again. */
  subjectHash: string;
  status: 'pending' | 'completed';
  requestedAt: number;
  completedAt: number | null;
  attempts: number;
  /** The steps done so far and what they removed, as JSON text. */
  progress: string;
  /** The receipt as JSON text, once completed. */
  receipt: string | null;
  lastError: string | null;
}

/** "Don't use this" (R3): an item or a catalog category left out of the subject's personalization. */
export interface ExclusionRow {
  shopId: string;
  id: string;
  subjectId: string;
  itemId: string | null;
  /** A catalog category path (prefix), e.g. ["Wohnen", "Kerzen"]. */
  category: string[] | null;
  createdAt: number;
}

/** An objection (O3): to direct marketing, and to the profiling behind it. */
export interface ObjectionRow {
  shopId: string;
  subjectId: string;
  directMarketing: boolean;
  profiling: boolean;
  updatedAt: number;
}

export type RightsRequestKind = 'export' | 'erasure' | 'correction' | 'restriction' | 'objection';
/** How the requester proved to be the subject (R1). */
export type RightsRequestProof = 'secret_key' | 'subject_token' | 'backend_token';

/** A rights request (R1): received, due one month later, completed. */
export interface RightsRequestRow {
  shopId: string;
  id: string;
  /** The subject's id; its hash once the subject is erased. */
  subjectId: string;
  kind: RightsRequestKind;
  receivedAt: number;
  deadlineAt: number;
  completedAt: number | null;
  proof: RightsRequestProof;
  /** What was asked, as JSON text (no personal data beyond the pseudonymous ids). */
  detail: string | null;
}

/** A shop's checkpoint signing key (D5): the public key in base64, the private key sealed. */
export interface AuditKeyRow {
  shopId: string;
  publicKey: string;
  /** The private key sealed by the server (see apps/server), never in clear. */
  privateKey: string;
  createdAt: number;
}

/** Which of a subject's events a withdrawal takes away (C9); see `EventRepository.deleteWithdrawn`. */
export interface WithdrawnScope {
  /** Categories the subject no longer allows at all: every event goes. */
  denied: readonly string[];
  /** Categories now allowed for the session only: the retained (not session-scoped) events go. */
  sessionOnly: readonly string[];
}

export interface ShopRepository {
  create(shop: ShopRow): Promise<void>;
  get(id: string): Promise<ShopRow | undefined>;
  list(): Promise<ShopRow[]>;
  updatePolicy(id: string, policy: string): Promise<void>;
  updateOrigins(id: string, origins: readonly string[]): Promise<void>;
}

export interface KeyRepository {
  add(key: ApiKeyRow): Promise<void>;
  /** Looks a key up by its hash; revoked keys are not returned. */
  findByHash(hash: string): Promise<ApiKeyRow | undefined>;
  /** The shop's keys of one kind that are not revoked. */
  listForShop(shopId: string, kind: KeyKind): Promise<ApiKeyRow[]>;
}

/** Subjects and their current consent state (written together with the ledger, see `ConsentRepository`). */
export interface SubjectRepository {
  get(shopId: string, id: string): Promise<SubjectRow | undefined>;
  /** Deletes the subject's row (its consent state); returns whether there was one. */
  delete(shopId: string, id: string): Promise<boolean>;
  /**
   * Sets the R6 restriction: inserts `initial` (with its `paused`) when the subject has no row
   * yet, else changes only `paused` and `updatedAt`. No consent record: a pause is no consent.
   */
  setPaused(initial: SubjectRow): Promise<void>;
  /** Subjects whose consent has run out at `now` (valid_until <= now). */
  listExpired(shopId: string, now: number): Promise<SubjectRow[]>;
  /** The consent gate's read per ingest batch (one cached statement of the dialect). */
  getMany(shopId: string, ids: readonly string[]): Promise<SubjectRow[]>;
  list(shopId: string): Promise<SubjectRow[]>;
}

/** The consent ledger (C10), append-only. */
export interface ConsentRepository {
  /** Writes the subject's current state and appends the consent record, atomically. */
  save(subject: SubjectRow, record: ConsentRecordRow): Promise<void>;
  listRecords(shopId: string, subjectId: string): Promise<ConsentRecordRow[]>;
  /**
   * After an erasure: the records stay as proof of consent (Art. 7(1)), with the subject's id
   * replaced by `hashed` in the row and in the record. Returns how many were rewritten.
   */
  pseudonymize(shopId: string, subjectId: string, hashed: string): Promise<number>;
  /** Deletes the shop's records older than `before` (their retention as proof has ended). */
  deleteBefore(shopId: string, before: number): Promise<number>;
}

export interface NoticeRepository {
  /** Inserts the notice if that (noticeId, version, language) is not stored yet. */
  put(notice: NoticeRow): Promise<void>;
  get(shopId: string, noticeId: string, version: number, language: string): Promise<NoticeRow | undefined>;
  latest(shopId: string, noticeId: string, language: string): Promise<NoticeRow | undefined>;
}

export interface CatalogRepository {
  /** Upserts items atomically (all or none). */
  upsert(items: readonly ItemRow[]): Promise<void>;
  get(shopId: string, id: string): Promise<ItemRow | undefined>;
  list(shopId: string, opts?: ListOptions): Promise<ItemRow[]>;
  count(shopId: string): Promise<number>;
}

export interface EventRepository {
  /**
   * Inserts events and touches their sessions in one durable transaction (acknowledged
   * means committed). Events whose (shopId, id) already exists are skipped; returns the
   * number actually inserted. `skipped`, when given, receives the ids of the events that were
   * not inserted because their id was already stored before this call (an id repeated within
   * the batch is stored once and is not listed).
   */
  insert(events: readonly EventRow[], sessions: readonly SessionRow[], skipped?: string[]): Promise<number>;
  listForSubject(shopId: string, subjectId: string): Promise<EventRow[]>;
  /** A subject's events of one session, in time order. */
  listForSession(shopId: string, subjectId: string, sessionId: string): Promise<EventRow[]>;
  /**
   * Scans a shop's events page by page, each exactly once, in id order (event ids begin with
   * their creation time, so this is roughly arrival order; use `ts` for event time).
   */
  scan(shopId: string, opts?: EventScanOptions): AsyncIterable<EventRow[]>;
  count(shopId: string): Promise<number>;
  /**
   * Deletes a subject's events held only on withdrawn consent (C9): every event of a
   * `denied` category, and the retained (not session-scoped) events of a `sessionOnly`
   * category. Returns the number deleted.
   */
  deleteWithdrawn(shopId: string, subjectId: string, scope: WithdrawnScope): Promise<number>;
  /** The subject's sessions (id and last activity). */
  listSessions(shopId: string, subjectId: string): Promise<SessionRow[]>;
  /**
   * Deletes single events of the subject (a correction, R3): each id is a stored row id, or
   * the id of a purchase whose order lines are stored as `<id>.<n>`. Returns the rows deleted.
   */
  deleteEvents(shopId: string, subjectId: string, ids: readonly string[]): Promise<EventRow[]>;
  /** Deletes every event and session of the subject (erasure, R4). */
  eraseSubject(shopId: string, subjectId: string): Promise<SubjectEventsErased>;
  /**
   * Deletes events past their expiry, and the events of session-scoped sessions whose
   * last activity is older than `sessionTimeoutMs`, across all shops. Returns the rows deleted.
   * Every method that deletes a subject's events also deletes their sessions left without one.
   */
  applyRetention(now: number, sessionTimeoutMs: number): Promise<RetentionResult>;
}

export interface ErasureRepository {
  create(erasure: ErasureRow): Promise<void>;
  get(shopId: string, id: string): Promise<ErasureRow | undefined>;
  /** The erasures of a subject, by its hash, newest first. */
  findBySubject(shopId: string, subjectHash: string): Promise<ErasureRow[]>;
  /** Erasures not completed yet, across all shops, oldest first (resumed at start-up). */
  listPending(): Promise<ErasureRow[]>;
  saveProgress(
    shopId: string,
    id: string,
    progress: string,
    attempts: number,
    lastError: string | null,
  ): Promise<void>;
  /** Marks the job done with its receipt, and forgets the subject's id (the hash stays). */
  complete(shopId: string, id: string, completedAt: number, receipt: string): Promise<void>;
  /** The shop's erasures, oldest first. */
  list(shopId: string): Promise<ErasureRow[]>;
}

export interface ExclusionRepository {
  add(exclusion: ExclusionRow): Promise<void>;
  list(shopId: string, subjectId: string): Promise<ExclusionRow[]>;
  /** Returns whether it was there. */
  delete(shopId: string, subjectId: string, id: string): Promise<boolean>;
  deleteForSubject(shopId: string, subjectId: string): Promise<number>;
}

export interface ObjectionRepository {
  get(shopId: string, subjectId: string): Promise<ObjectionRow | undefined>;
  put(objection: ObjectionRow): Promise<void>;
  delete(shopId: string, subjectId: string): Promise<boolean>;
}

export interface RightsRequestRepository {
  add(request: RightsRequestRow): Promise<void>;
  complete(shopId: string, id: string, completedAt: number): Promise<void>;
  /** The shop's requests, newest first. */
  list(shopId: string, opts?: { limit?: number }): Promise<RightsRequestRow[]>;
  listForSubject(shopId: string, subjectId: string): Promise<RightsRequestRow[]>;
  /** After an erasure: the register keeps the request under the subject's hash. */
  pseudonymize(shopId: string, subjectId: string, hashed: string): Promise<number>;
  /** Deletes completed requests received before `before` (their retention as proof has ended). */
  deleteBefore(shopId: string, before: number): Promise<number>;
}

/**
 * The audit log's store (implements `AuditStore` of @vitrine/audit: `append` fails with
 * `AuditError('conflict')` when the seq is taken) and the shops' checkpoint signing keys.
 */
export interface AuditRepository extends AuditStore {
  /** Entries about one (hashed) subject, in seq order. */
  listForSubject(shopId: string, subject: string): Promise<AuditEntry[]>;
  signingKey(shopId: string): Promise<AuditKeyRow | undefined>;
  /** Stores the shop's first key unless one exists; returns whether this one was stored. */
  addSigningKey(key: AuditKeyRow): Promise<boolean>;
}

/** The identity store's tables (implements `IdentityStore` of @vitrine/identity). */
export type IdentityRepository = IdentityStore;

export interface IdempotencyRepository {
  /** The answer stored under the key, unless it has expired by `now`. */
  get(shopId: string, scope: string, key: string, now: number): Promise<IdempotencyRow | undefined>;
  /**
   * Stores the answer unless a live one is already stored under the key (an expired one is
   * replaced). Returns false when another request stored its answer first.
   */
  put(row: IdempotencyRow): Promise<boolean>;
  /** Deletes every answer expired by `now`, across all shops; returns how many. */
  purgeExpired(now: number): Promise<number>;
  /** How many answers are kept under the scope (live or not yet purged). */
  countScope(shopId: string, scope: string): Promise<number>;
  /** Deletes every answer kept under the scope (an erased subject's); returns how many. */
  deleteScope(shopId: string, scope: string): Promise<number>;
}

/** One repository per aggregate; a new aggregate is one more field here and one more file. */
export interface Repositories {
  shops: ShopRepository;
  keys: KeyRepository;
  subjects: SubjectRepository;
  consent: ConsentRepository;
  notices: NoticeRepository;
  catalog: CatalogRepository;
  events: EventRepository;
  erasures: ErasureRepository;
  exclusions: ExclusionRepository;
  objections: ObjectionRepository;
  rightsRequests: RightsRequestRepository;
  audit: AuditRepository;
  identity: IdentityRepository;
  idempotency: IdempotencyRepository;
}

/**
 * The repositories within one transaction. The ingest hot paths (event insert, the batch
 * subject read) are the dialect driver's own prepared statements with transactions of their
 * own, so they are not offered here.
 */
export type TransactionRepositories = Omit<Repositories, 'events' | 'subjects'> & {
  events: Omit<EventRepository, 'insert'>;
  subjects: Omit<SubjectRepository, 'getMany'>;
};

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** Runs `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
