import type {
  ApiKeyRow,
  ConsentRecordRow,
  EventRow,
  ItemRow,
  NoticeRow,
  SessionRow,
  ShopRow,
  Store,
  SubjectRow,
} from '@vitrine/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The storage contract: the behaviour callers rely on, run against every driver.
 * `open` returns a fresh, empty store (not yet migrated); the suite closes it.
 */

const T0 = 1_700_000_000_000;
const MIN = 60_000;

const shop = (id: string): ShopRow => ({ id, name: `Shop ${id}`, policy: `{"shop":"${id}"}`, createdAt: T0 });

const apiKey = (shopId: string, id: string, hash: string, revokedAt: number | null = null): ApiKeyRow => ({
  id,
  shopId,
  kind: 'secret',
  hash,
  prefix: hash.slice(0, 6),
  createdAt: T0,
  revokedAt,
});

const subject = (shopId: string, id: string, over: Partial<SubjectRow> = {}): SubjectRow => ({
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

const consent = (subj: SubjectRow, id: string, eventTime: number): ConsentRecordRow => ({
  shopId: subj.shopId,
  id,
  subjectId: subj.id,
  eventTime,
  record: JSON.stringify({ id, level: subj.level, purposes: subj.purposes }),
});

const notice = (shopId: string, version: number, language: string, text: string): NoticeRow => ({
  shopId,
  noticeId: 'main',
  version,
  language,
  text,
  textHash: `hash-${text}`,
  scopeHash: `scope-${version}`,
  createdAt: T0 + version,
});

const item = (shopId: string, id: string, over: Partial<ItemRow> = {}): ItemRow => ({
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

const event = (shopId: string, id: string, over: Partial<EventRow> = {}): EventRow => ({
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

const session = (shopId: string, id: string, lastSeen: number, subjectId = 'sub_alice'): SessionRow => ({
  shopId,
  id,
  subjectId,
  lastSeen,
});

async function collect(pages: AsyncIterable<EventRow[]>): Promise<EventRow[][]> {
  const out: EventRow[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Pretends the row's NOT NULL field is missing, as a bug in a caller might. */
const withoutTitle = (i: ItemRow): ItemRow => ({ ...i, title: null as unknown as string });

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`storage contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.migrate();
      await store.createShop(shop('shop_a'));
      await store.createShop(shop('shop_b'));
    });

    afterEach(async () => {
      await store.close();
    });

    it('migrate() is idempotent', async () => {
      await store.migrate();
      await store.migrate();
      expect((await store.listShops()).map((s) => s.id)).toEqual(['shop_a', 'shop_b']);
    });

    describe('shops', () => {
      it('stores, lists and updates shops', async () => {
        expect(await store.getShop('shop_a')).toEqual(shop('shop_a'));
        expect(await store.getShop('shop_x')).toBeUndefined();
        await store.updateShopPolicy('shop_a', '{"v":2}');
        expect((await store.getShop('shop_a'))?.policy).toBe('{"v":2}');
        expect((await store.getShop('shop_b'))?.policy).toBe('{"shop":"shop_b"}');
      });

      it('rejects a duplicate shop and a policy update of an unknown shop, with codes', async () => {
        await expect(store.createShop(shop('shop_a'))).rejects.toMatchObject({
          name: 'StorageError',
          code: 'duplicate',
        });
        await expect(store.updateShopPolicy('shop_x', '{}')).rejects.toMatchObject({ code: 'not_found' });
      });
    });

    describe('API keys', () => {
      it('finds a key by its hash, and never a revoked one', async () => {
        await store.addApiKey(apiKey('shop_a', 'key_1', 'aaaa1111'));
        await store.addApiKey(apiKey('shop_b', 'key_2', 'bbbb2222'));
        await store.addApiKey(apiKey('shop_a', 'key_3', 'cccc3333', T0 + 1));
        expect(await store.findApiKeyByHash('aaaa1111')).toEqual(apiKey('shop_a', 'key_1', 'aaaa1111'));
        expect((await store.findApiKeyByHash('bbbb2222'))?.shopId).toBe('shop_b');
        expect(await store.findApiKeyByHash('cccc3333')).toBeUndefined();
        expect(await store.findApiKeyByHash('dddd4444')).toBeUndefined();
      });

      it('rejects a duplicate hash and a key of an unknown shop', async () => {
        await store.addApiKey(apiKey('shop_a', 'key_1', 'aaaa1111'));
        await expect(store.addApiKey(apiKey('shop_b', 'key_2', 'aaaa1111'))).rejects.toMatchObject({
          code: 'duplicate',
        });
        await expect(store.addApiKey(apiKey('shop_x', 'key_3', 'eeee5555'))).rejects.toMatchObject({
          code: 'constraint',
        });
      });
    });

    describe('subjects and consent', () => {
      it('saves the subject state and its consent record together', async () => {
        const alice = subject('shop_a', 'sub_alice', { level: 2, purposes: { history: true, ads: false } });
        await store.saveConsent(alice, consent(alice, 'cns_1', T0));
        expect(await store.getSubject('shop_a', 'sub_alice')).toEqual(alice);
        expect(await store.listConsentRecords('shop_a', 'sub_alice')).toEqual([consent(alice, 'cns_1', T0)]);
      });

      it('replaces the state on a later save but keeps every record, in append order', async () => {
        const first = subject('shop_a', 'sub_alice');
        const second = subject('shop_a', 'sub_alice', { level: 3, gpc: true, updatedAt: T0 + 5 });
        const third = subject('shop_a', 'sub_alice', {
          level: 0,
          paused: true,
          dpvState: 'withdrawn',
          validUntil: null,
          purposeScopes: {},
          updatedAt: T0 + 5,
        });
        await store.saveConsent(first, consent(first, 'cns_z', T0));
        await store.saveConsent(second, consent(second, 'cns_a', T0 + 5));
        // Same millisecond as the previous record: append order still decides.
        await store.saveConsent(third, consent(third, 'cns_m', T0 + 5));

        expect(await store.getSubject('shop_a', 'sub_alice')).toEqual({ ...third, createdAt: T0 });
        const records = await store.listConsentRecords('shop_a', 'sub_alice');
        expect(records.map((r) => r.id)).toEqual(['cns_z', 'cns_a', 'cns_m']);
        expect(records[1]).toEqual(consent(second, 'cns_a', T0 + 5));
      });

      it('is atomic: when the record cannot be appended the subject state is unchanged', async () => {
        const before = subject('shop_a', 'sub_alice', { level: 1 });
        await store.saveConsent(before, consent(before, 'cns_1', T0));
        const after = subject('shop_a', 'sub_alice', { level: 3, updatedAt: T0 + 1 });
        // Reusing a record id: records are append-only, so this must fail as a whole.
        await expect(store.saveConsent(after, consent(after, 'cns_1', T0 + 1))).rejects.toMatchObject({
          code: 'duplicate',
        });
        expect(await store.getSubject('shop_a', 'sub_alice')).toEqual(before);
        expect(await store.listConsentRecords('shop_a', 'sub_alice')).toEqual([consent(before, 'cns_1', T0)]);
      });

      it('a new subject whose record fails is not created', async () => {
        const bob = subject('shop_a', 'sub_bob');
        const bad = { ...consent(bob, 'cns_1', T0), record: null as unknown as string };
        await expect(store.saveConsent(bob, bad)).rejects.toMatchObject({ code: 'constraint' });
        expect(await store.getSubject('shop_a', 'sub_bob')).toBeUndefined();
      });

      it('keeps subjects and records of different shops apart', async () => {
        const a = subject('shop_a', 'sub_same', { level: 2 });
        const b = subject('shop_b', 'sub_same', { level: 0 });
        await store.saveConsent(a, consent(a, 'cns_1', T0));
        await store.saveConsent(b, consent(b, 'cns_1', T0));
        await store.saveConsent(
          subject('shop_a', 'sub_other'),
          consent(subject('shop_a', 'sub_other'), 'cns_2', T0),
        );

        expect((await store.getSubject('shop_b', 'sub_same'))?.level).toBe(0);
        expect(await store.getSubject('shop_b', 'sub_other')).toBeUndefined();
        expect((await store.listSubjects('shop_b')).map((s) => s.id)).toEqual(['sub_same']);
        expect((await store.listSubjects('shop_a')).map((s) => s.id)).toEqual(['sub_other', 'sub_same']);
        expect(await store.getSubjects('shop_b', ['sub_same', 'sub_other'])).toEqual([b]);
        expect(await store.listConsentRecords('shop_b', 'sub_same')).toEqual([consent(b, 'cns_1', T0)]);
        expect(await store.listConsentRecords('shop_b', 'sub_other')).toEqual([]);
      });

      it('getSubjects returns the known ones among many ids', async () => {
        for (const id of ['sub_1', 'sub_2', 'sub_3']) {
          const s = subject('shop_a', id);
          await store.saveConsent(s, consent(s, `cns_${id}`, T0));
        }
        const ids = [...Array.from({ length: 2500 }, (_, i) => `sub_unknown_${i}`), 'sub_3', 'sub_1'];
        const found = await store.getSubjects('shop_a', ids);
        expect(found.map((s) => s.id).sort()).toEqual(['sub_1', 'sub_3']);
        expect(await store.getSubjects('shop_a', [])).toEqual([]);
      });
    });

    describe('notices', () => {
      it('stores each (notice, version, language) once and finds the latest', async () => {
        await store.putNotice(notice('shop_a', 1, 'de', 'Version eins'));
        await store.putNotice(notice('shop_a', 2, 'de', 'Version zwei – ä ö ü ß'));
        await store.putNotice(notice('shop_a', 1, 'en', 'Version one'));
        await store.putNotice(notice('shop_a', 1, 'de', 'a later text for the same version is ignored'));

        expect(await store.getNotice('shop_a', 'main', 1, 'de')).toEqual(
          notice('shop_a', 1, 'de', 'Version eins'),
        );
        expect(await store.latestNotice('shop_a', 'main', 'de')).toEqual(
          notice('shop_a', 2, 'de', 'Version zwei – ä ö ü ß'),
        );
        expect((await store.latestNotice('shop_a', 'main', 'en'))?.version).toBe(1);
        expect(await store.latestNotice('shop_a', 'main', 'fr')).toBeUndefined();
        expect(await store.getNotice('shop_b', 'main', 1, 'de')).toBeUndefined();
        expect(await store.latestNotice('shop_b', 'main', 'de')).toBeUndefined();
      });
    });

    describe('items', () => {
      it('lists only items changed since a time, for catalog syncs', async () => {
        await store.upsertItems([item('shop_a', 'old'), item('shop_a', 'new', { updatedAt: T0 + MIN })]);
        await store.upsertItems([item('shop_b', 'other', { updatedAt: T0 + MIN })]);
        const changed = await store.listItems('shop_a', { updatedSince: T0 + MIN });
        expect(changed.map((i) => i.id)).toEqual(['new']);
        expect(await store.listItems('shop_a', { updatedSince: T0 + 2 * MIN })).toEqual([]);
      });

      it('round-trips JSON fields exactly', async () => {
        const fancy = item('shop_a', 'i1', {
          title: 'Küchenwaage „Präzision“ 🍰',
          categoryPath: ['Haus & Garten', 'Küche', '日本'],
          price: 0.1 + 0.2,
          attributes: {
            farbe: 'grün',
            gewicht: 1.25,
            stück: 3,
            neu: true,
            bio: false,
            leer: '',
            zitat: '"\\',
          },
          available: false,
        });
        await store.upsertItems([fancy]);
        expect(await store.getItem('shop_a', 'i1')).toEqual(fancy);
      });

      it('upsert replaces every field of an existing item', async () => {
        await store.upsertItems([item('shop_a', 'i1'), item('shop_a', 'i2')]);
        const changed = item('shop_a', 'i1', {
          title: 'New title',
          categoryPath: ['Sale'],
          price: 5,
          currency: 'CHF',
          attributes: { size: 'L' },
          available: false,
          updatedAt: T0 + 1,
        });
        await store.upsertItems([changed]);
        expect(await store.getItem('shop_a', 'i1')).toEqual(changed);
        expect(await store.getItem('shop_a', 'i2')).toEqual(item('shop_a', 'i2'));
        expect(await store.countItems('shop_a')).toBe(2);
      });

      it('the last of several rows for one item in a batch wins', async () => {
        await store.upsertItems([item('shop_a', 'i1', { price: 1 }), item('shop_a', 'i1', { price: 2 })]);
        expect((await store.getItem('shop_a', 'i1'))?.price).toBe(2);
      });

      it('is all-or-none: one invalid row leaves stored items unchanged', async () => {
        await store.upsertItems([item('shop_a', 'i1'), item('shop_a', 'i2')]);
        const batch = [
          item('shop_a', 'i1', { title: 'changed' }),
          item('shop_a', 'i3'),
          ...Array.from({ length: 1500 }, (_, n) => item('shop_a', `bulk_${n}`)),
          withoutTitle(item('shop_a', 'i4')),
        ];
        await expect(store.upsertItems(batch)).rejects.toMatchObject({
          name: 'StorageError',
          code: 'constraint',
        });
        expect(await store.getItem('shop_a', 'i1')).toEqual(item('shop_a', 'i1'));
        expect(await store.getItem('shop_a', 'i3')).toBeUndefined();
        expect(await store.countItems('shop_a')).toBe(2);
      });

      it('failure messages name the operation, not the SQL, and keep the cause', async () => {
        const error = await store.upsertItems([withoutTitle(item('shop_a', 'i1'))]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        const { message, cause } = error as Error;
        expect(message).toMatch(/^Could not store items/);
        expect(message).not.toMatch(/insert|items\s*\(|values|select/i);
        expect(cause).toBeInstanceOf(Error);
      });

      it('lists and counts per shop, with keyset paging', async () => {
        await store.upsertItems(['c', 'a', 'e', 'b', 'd'].map((id) => item('shop_a', id)));
        await store.upsertItems([item('shop_b', 'a', { title: 'B shop item' }), item('shop_b', 'z')]);

        expect((await store.listItems('shop_a')).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
        expect((await store.listItems('shop_a', { limit: 2 })).map((i) => i.id)).toEqual(['a', 'b']);
        expect((await store.listItems('shop_a', { after: 'b', limit: 2 })).map((i) => i.id)).toEqual([
          'c',
          'd',
        ]);
        expect((await store.listItems('shop_a', { after: 'e' })).map((i) => i.id)).toEqual([]);
        expect(await store.getItem('shop_a', 'a')).toEqual(item('shop_a', 'a'));
        expect((await store.getItem('shop_b', 'a'))?.title).toBe('B shop item');
        expect(await store.getItem('shop_b', 'c')).toBeUndefined();
        expect(await store.countItems('shop_a')).toBe(5);
        expect(await store.countItems('shop_b')).toBe(2);
        expect(await store.countItems('shop_x')).toBe(0);
      });
    });

    describe('events', () => {
      it('inserts events, skips duplicate ids and returns the number inserted', async () => {
        const batch = [event('shop_a', 'evt_1'), event('shop_a', 'evt_2'), event('shop_a', 'evt_2')];
        expect(await store.insertEvents(batch, [session('shop_a', 'ses_1', T0)])).toBe(2);

        const again = [event('shop_a', 'evt_1', { itemId: 'other' }), event('shop_a', 'evt_3')];
        expect(await store.insertEvents(again, [])).toBe(1);
        // The same id in another shop is another event.
        expect(await store.insertEvents([event('shop_b', 'evt_1')], [])).toBe(1);

        expect(await store.countEvents('shop_a')).toBe(3);
        expect(await store.countEvents('shop_b')).toBe(1);
        const stored = await store.listSubjectEvents('shop_a', 'sub_alice');
        expect(stored.find((e) => e.id === 'evt_1')?.itemId).toBe('i1');
        expect(await store.insertEvents([], [])).toBe(0);
      });

      it("deletes only a subject's events held on withdrawn consent (C9)", async () => {
        await store.insertEvents(
          [
            event('shop_a', 'evt_v', { category: 'browsing' }),
            event('shop_a', 'evt_vs', { category: 'browsing', sessionScoped: true }),
            event('shop_a', 'evt_p', { category: 'purchases', expiresAt: T0 + MIN }),
            event('shop_a', 'evt_s', { category: 'searches', sessionScoped: true }),
            event('shop_a', 'evt_bob', { category: 'purchases', subjectId: 'sub_bob' }),
            event('shop_b', 'evt_p', { category: 'purchases' }),
          ],
          [session('shop_a', 'ses_1', T0)],
        );
        const n = await store.deleteSubjectEvents('shop_a', 'sub_alice', {
          denied: ['purchases'],
          sessionOnly: ['browsing'],
        });
        expect(n).toBe(2);
        expect((await store.listSubjectEvents('shop_a', 'sub_alice')).map((e) => e.id).sort()).toEqual([
          'evt_s',
          'evt_vs',
        ]);
        expect(await store.listSubjectEvents('shop_a', 'sub_bob')).toHaveLength(1);
        expect(await store.countEvents('shop_b')).toBe(1);
        expect(await store.deleteSubjectEvents('shop_a', 'sub_alice', { denied: [], sessionOnly: [] })).toBe(
          0,
        );
      });

      it('round-trips every field exactly', async () => {
        const purchase = event('shop_a', 'evt_p:1', {
          type: 'purchase',
          category: 'purchases',
          itemId: 'sku-ü',
          quantity: 3,
          price: 12.34,
          orderId: 'ord_1',
          data: '{"query":"grüne Äpfel 🍏","n":1.5,"ok":true,"nested":{"a":[1,"2",null]}}',
          ts: T0 + 123,
          expiresAt: T0 + 365 * 24 * 60 * MIN,
        });
        const scoped = event('shop_a', 'evt_s', {
          type: 'search',
          itemId: null,
          data: '{}',
          sessionScoped: true,
        });
        await store.insertEvents([purchase, scoped], [session('shop_a', 'ses_1', T0 + 123)]);
        expect(await store.listSubjectEvents('shop_a', 'sub_alice')).toEqual([scoped, purchase]);
      });

      it('is all-or-none: a batch with an invalid event stores nothing', async () => {
        const bad = { ...event('shop_a', 'evt_bad'), subjectId: null as unknown as string };
        await expect(
          store.insertEvents([event('shop_a', 'evt_1'), bad], [session('shop_a', 'ses_1', T0)]),
        ).rejects.toMatchObject({ code: 'constraint' });
        expect(await store.countEvents('shop_a')).toBe(0);
        // The session was not touched either: retention finds nothing to end.
        expect((await store.applyRetention(T0 + 60 * MIN, 30 * MIN)).endedSessions).toBe(0);
      });

      it('stores a large batch in one call', async () => {
        const events = Array.from({ length: 12_000 }, (_, n) =>
          event('shop_a', `evt_${n}`, { sessionId: `ses_${n % 50}`, ts: T0 + n }),
        );
        const sessions = events.map((e) => session('shop_a', e.sessionId, e.ts));
        expect(await store.insertEvents(events, sessions)).toBe(12_000);
        expect(await store.countEvents('shop_a')).toBe(12_000);
      });

      it('lists subject and session events of one shop, in time order', async () => {
        await store.insertEvents(
          [
            event('shop_a', 'evt_3', { ts: T0 + 3, sessionId: 'ses_2' }),
            event('shop_a', 'evt_1', { ts: T0 + 1 }),
            event('shop_a', 'evt_2', { ts: T0 + 2, subjectId: 'sub_bob' }),
            event('shop_b', 'evt_4', { ts: T0 }),
          ],
          [],
        );
        const ids = (events: EventRow[]) => events.map((e) => e.id);
        expect(ids(await store.listSubjectEvents('shop_a', 'sub_alice'))).toEqual(['evt_1', 'evt_3']);
        expect(ids(await store.listSessionEvents('shop_a', 'sub_alice', 'ses_1'))).toEqual(['evt_1']);
        expect(ids(await store.listSessionEvents('shop_a', 'sub_bob', 'ses_1'))).toEqual(['evt_2']);
        expect(ids(await store.listSubjectEvents('shop_b', 'sub_alice'))).toEqual(['evt_4']);
        expect(ids(await store.listSessionEvents('shop_b', 'sub_alice', 'ses_2'))).toEqual([]);
      });
    });

    describe('scanEvents', () => {
      // 25 events over 5 timestamps, inserted out of id order: the scan pages by id.
      const events = Array.from({ length: 25 }, (_, n) =>
        event('shop_a', `evt_${String((n * 7) % 25).padStart(2, '0')}`, { ts: T0 + (n % 5) * 1000 }),
      );
      const byId = [...events].sort((a, b) => (a.id < b.id ? -1 : 1));

      it('pages through a shop in id order across page boundaries, each event once', async () => {
        await store.insertEvents(events, []);
        await store.insertEvents([event('shop_b', 'evt_b', { ts: T0 })], []);
        const pages = await collect(store.scanEvents('shop_a', { pageSize: 10 }));
        expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
        expect(pages.flat()).toEqual(byId);
      });

      it('ends without an empty page when the last page is full', async () => {
        await store.insertEvents(events.slice(0, 20), []);
        const pages = await collect(store.scanEvents('shop_a', { pageSize: 10 }));
        expect(pages.map((p) => p.length)).toEqual([10, 10]);
        expect(await collect(store.scanEvents('shop_x'))).toEqual([]);
      });

      it('orders ids by code point, whatever the database locale', async () => {
        const ids = ['evt_a', 'evt_B', 'evt_é', 'evt_Z', 'evt_b'];
        await store.insertEvents(
          ids.map((id) => event('shop_a', id)),
          [],
        );
        const expected = ['evt_B', 'evt_Z', 'evt_a', 'evt_b', 'evt_é'];
        const pages = await collect(store.scanEvents('shop_a', { pageSize: 2 }));
        expect(pages.flat().map((e) => e.id)).toEqual(expected);
        expect((await store.listSessionEvents('shop_a', 'sub_alice', 'ses_1')).map((e) => e.id)).toEqual(
          expected,
        );
      });

      it('starts at `since`', async () => {
        await store.insertEvents(events, []);
        const pages = await collect(store.scanEvents('shop_a', { since: T0 + 3000, pageSize: 4 }));
        expect(pages.flat()).toEqual(byId.filter((e) => e.ts >= T0 + 3000));
        for (const page of pages) expect(page.length).toBeGreaterThan(0);
      });
    });

    describe('retention', () => {
      const now = T0 + 120 * MIN;
      const timeout = 30 * MIN;

      it('deletes expired events and the session-scoped events of ended sessions only', async () => {
        await store.insertEvents(
          [
            event('shop_a', 'expired', { expiresAt: now - 1 }),
            event('shop_b', 'expired_now', { expiresAt: now }),
            event('shop_a', 'kept', { expiresAt: now + 1 }),
            event('shop_a', 'no_expiry', { expiresAt: null }),
            event('shop_a', 'ended_scoped', { sessionId: 'ses_old', sessionScoped: true }),
            event('shop_b', 'ended_scoped_b', { sessionId: 'ses_old', sessionScoped: true }),
            event('shop_a', 'ended_unscoped', { sessionId: 'ses_old', expiresAt: now + MIN }),
            event('shop_a', 'live_scoped', { sessionId: 'ses_live', sessionScoped: true }),
          ],
          [
            session('shop_a', 'ses_old', now - timeout),
            session('shop_b', 'ses_old', now - 2 * timeout),
            session('shop_a', 'ses_live', now - timeout + 1),
          ],
        );

        expect(await store.applyRetention(now, timeout)).toEqual({
          expiredEvents: 2,
          endedSessionEvents: 2,
          endedSessions: 2,
        });
        const left = [
          ...(await collect(store.scanEvents('shop_a'))),
          ...(await collect(store.scanEvents('shop_b'))),
        ];
        expect(
          left
            .flat()
            .map((e) => e.id)
            .sort(),
        ).toEqual(['ended_unscoped', 'kept', 'live_scoped', 'no_expiry']);
        expect(await store.applyRetention(now, timeout)).toEqual({
          expiredEvents: 0,
          endedSessionEvents: 0,
          endedSessions: 0,
        });
      });

      it('a session lives from its latest activity: last_seen never moves back', async () => {
        const scoped = (id: string) => event('shop_a', id, { sessionId: 'ses_1', sessionScoped: true });
        await store.insertEvents([scoped('evt_1')], [session('shop_a', 'ses_1', now - 40 * MIN)]);
        await store.insertEvents([scoped('evt_2')], [session('shop_a', 'ses_1', now - 10 * MIN)]);
        // A late batch carrying an older time must not shorten the session.
        await store.insertEvents(
          [scoped('evt_3')],
          [session('shop_a', 'ses_1', now - 50 * MIN), session('shop_a', 'ses_1', now - 45 * MIN)],
        );

        expect(await store.applyRetention(now, timeout)).toEqual({
          expiredEvents: 0,
          endedSessionEvents: 0,
          endedSessions: 0,
        });
        expect(await store.countEvents('shop_a')).toBe(3);
        expect(await store.applyRetention(now + 20 * MIN, timeout)).toEqual({
          expiredEvents: 0,
          endedSessionEvents: 3,
          endedSessions: 1,
        });
        expect(await store.countEvents('shop_a')).toBe(0);
      });
    });
  });
}
