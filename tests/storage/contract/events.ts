import type { EventRow, Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { collect, event, MIN, session, T0 } from './fixtures';
import type { StoreContext } from './store';

/** Events: the ingest path, reads per subject and session, deletes on withdrawal, scans. */
export function eventsContract(ctx: StoreContext): void {
  describe('events', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('inserts events, skips duplicate ids and returns the number inserted', async () => {
      const batch = [event('shop_a', 'evt_1'), event('shop_a', 'evt_2'), event('shop_a', 'evt_2')];
      expect(await store.events.insert(batch, [session('shop_a', 'ses_1', T0)])).toBe(2);

      const again = [event('shop_a', 'evt_1', { itemId: 'other' }), event('shop_a', 'evt_3')];
      expect(await store.events.insert(again, [])).toBe(1);
      // The same id in another shop is another event.
      expect(await store.events.insert([event('shop_b', 'evt_1')], [])).toBe(1);

      expect(await store.events.count('shop_a')).toBe(3);
      expect(await store.events.count('shop_b')).toBe(1);
      const stored = await store.events.listForSubject('shop_a', 'sub_alice');
      expect(stored.find((e) => e.id === 'evt_1')?.itemId).toBe('i1');
      expect(await store.events.insert([], [])).toBe(0);
    });

    it('reports the ids it skipped because they were stored before, each once', async () => {
      const skipped: string[] = [];
      await store.events.insert([event('shop_a', 'evt_1'), event('shop_a', 'evt_2')], [], skipped);
      expect(skipped).toEqual([]);
      const again = [
        event('shop_a', 'evt_2'),
        event('shop_a', 'evt_3'),
        event('shop_a', 'evt_3'),
        event('shop_a', 'evt_1'),
        event('shop_a', 'evt_1'),
      ];
      expect(await store.events.insert(again, [], skipped)).toBe(1);
      expect(skipped).toEqual(['evt_2', 'evt_1']);
      // Without the list, the count alone.
      expect(await store.events.insert([event('shop_a', 'evt_4'), event('shop_a', 'evt_1')], [])).toBe(1);
    });

    it("deletes only a subject's events held on withdrawn consent (C9)", async () => {
      await store.events.insert(
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
      const n = await store.events.deleteWithdrawn('shop_a', 'sub_alice', {
        denied: ['purchases'],
        sessionOnly: ['browsing'],
      });
      expect(n).toBe(2);
      expect((await store.events.listForSubject('shop_a', 'sub_alice')).map((e) => e.id).sort()).toEqual([
        'evt_s',
        'evt_vs',
      ]);
      expect(await store.events.listForSubject('shop_a', 'sub_bob')).toHaveLength(1);
      expect(await store.events.count('shop_b')).toBe(1);
      expect(await store.events.deleteWithdrawn('shop_a', 'sub_alice', { denied: [], sessionOnly: [] })).toBe(
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
      await store.events.insert([purchase, scoped], [session('shop_a', 'ses_1', T0 + 123)]);
      expect(await store.events.listForSubject('shop_a', 'sub_alice')).toEqual([scoped, purchase]);
    });

    it('is all-or-none: a batch with an invalid event stores nothing', async () => {
      const bad = { ...event('shop_a', 'evt_bad'), subjectId: null as unknown as string };
      await expect(
        store.events.insert([event('shop_a', 'evt_1'), bad], [session('shop_a', 'ses_1', T0)]),
      ).rejects.toMatchObject({ code: 'constraint' });
      expect(await store.events.count('shop_a')).toBe(0);
      // The session was not touched either: retention finds nothing to end.
      expect((await store.events.applyRetention(T0 + 60 * MIN, 30 * MIN)).endedSessions).toBe(0);
    });

    it('stores a large batch in one call', async () => {
      const events = Array.from({ length: 12_000 }, (_, n) =>
        event('shop_a', `evt_${n}`, { sessionId: `ses_${n % 50}`, ts: T0 + n }),
      );
      const sessions = events.map((e) => session('shop_a', e.sessionId, e.ts));
      expect(await store.events.insert(events, sessions)).toBe(12_000);
      expect(await store.events.count('shop_a')).toBe(12_000);
    });

    it('lists subject and session events of one shop, in time order', async () => {
      await store.events.insert(
        [
          event('shop_a', 'evt_3', { ts: T0 + 3, sessionId: 'ses_2' }),
          event('shop_a', 'evt_1', { ts: T0 + 1 }),
          event('shop_a', 'evt_2', { ts: T0 + 2, subjectId: 'sub_bob' }),
          event('shop_b', 'evt_4', { ts: T0 }),
        ],
        [],
      );
      const ids = (events: EventRow[]) => events.map((e) => e.id);
      expect(ids(await store.events.listForSubject('shop_a', 'sub_alice'))).toEqual(['evt_1', 'evt_3']);
      expect(ids(await store.events.listForSession('shop_a', 'sub_alice', 'ses_1'))).toEqual(['evt_1']);
      expect(ids(await store.events.listForSession('shop_a', 'sub_bob', 'ses_1'))).toEqual(['evt_2']);
      expect(ids(await store.events.listForSubject('shop_b', 'sub_alice'))).toEqual(['evt_4']);
      expect(ids(await store.events.listForSession('shop_b', 'sub_alice', 'ses_2'))).toEqual([]);
    });
  });

  describe('scanEvents', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    // 25 events over 5 timestamps, inserted out of id order: the scan pages by id.
    const events = Array.from({ length: 25 }, (_, n) =>
      event('shop_a', `evt_${String((n * 7) % 25).padStart(2, '0')}`, { ts: T0 + (n % 5) * 1000 }),
    );
    const byId = [...events].sort((a, b) => (a.id < b.id ? -1 : 1));

    it('pages through a shop in id order across page boundaries, each event once', async () => {
      await store.events.insert(events, []);
      await store.events.insert([event('shop_b', 'evt_b', { ts: T0 })], []);
      const pages = await collect(store.events.scan('shop_a', { pageSize: 10 }));
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(byId);
    });

    it('ends without an empty page when the last page is full', async () => {
      await store.events.insert(events.slice(0, 20), []);
      const pages = await collect(store.events.scan('shop_a', { pageSize: 10 }));
      expect(pages.map((p) => p.length)).toEqual([10, 10]);
      expect(await collect(store.events.scan('shop_x'))).toEqual([]);
    });

    it('orders ids by code point, whatever the database locale', async () => {
      const ids = ['evt_a', 'evt_B', 'evt_é', 'evt_Z', 'evt_b'];
      await store.events.insert(
        ids.map((id) => event('shop_a', id)),
        [],
      );
      const expected = ['evt_B', 'evt_Z', 'evt_a', 'evt_b', 'evt_é'];
      const pages = await collect(store.events.scan('shop_a', { pageSize: 2 }));
      expect(pages.flat().map((e) => e.id)).toEqual(expected);
      expect((await store.events.listForSession('shop_a', 'sub_alice', 'ses_1')).map((e) => e.id)).toEqual(
        expected,
      );
    });

    it('starts at `since`', async () => {
      await store.events.insert(events, []);
      const pages = await collect(store.events.scan('shop_a', { since: T0 + 3000, pageSize: 4 }));
      expect(pages.flat()).toEqual(byId.filter((e) => e.ts >= T0 + 3000));
      for (const page of pages) expect(page.length).toBeGreaterThan(0);
    });
  });
}
