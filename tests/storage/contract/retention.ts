import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { collect, event, MIN, session, T0 } from './fixtures';
import type { StoreContext } from './store';

/** Retention: expired events and ended level-1 sessions. */
export function retentionContract(ctx: StoreContext): void {
  describe('retention', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    const now = T0 + 120 * MIN;
    const timeout = 30 * MIN;

    it('deletes expired events and the session-scoped events of ended sessions only', async () => {
      await store.events.insert(
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

      const first = await store.events.applyRetention(now, timeout);
      expect(first).toMatchObject({ expiredEvents: 2, endedSessionEvents: 2, endedSessions: 2 });
      // The rows deleted come back, so that the shared models can forget exactly these.
      expect(first.removed.map((e) => `${e.shopId}/${e.id}`).sort()).toEqual([
        'shop_a/ended_scoped',
        'shop_a/expired',
        'shop_b/ended_scoped_b',
        'shop_b/expired_now',
      ]);
      expect(first.removed.find((e) => e.id === 'expired')).toEqual(
        event('shop_a', 'expired', { expiresAt: now - 1 }),
      );
      const left = [
        ...(await collect(store.events.scan('shop_a'))),
        ...(await collect(store.events.scan('shop_b'))),
      ];
      expect(
        left
          .flat()
          .map((e) => e.id)
          .sort(),
      ).toEqual(['ended_unscoped', 'kept', 'live_scoped', 'no_expiry']);
      expect(await store.events.applyRetention(now, timeout)).toEqual({
        expiredEvents: 0,
        endedSessionEvents: 0,
        endedSessions: 0,
        removed: [],
      });
    });

    it('a session whose last event expired is deleted with it', async () => {
      await store.events.insert(
        [event('shop_a', 'only', { sessionId: 'ses_x', expiresAt: now - 1 })],
        [session('shop_a', 'ses_x', now - MIN)],
      );
      const r = await store.events.applyRetention(now, timeout);
      expect(r).toMatchObject({ expiredEvents: 1, endedSessions: 1 });
      expect(await store.events.listSessions('shop_a', 'sub_alice')).toEqual([]);
    });

    it('a session lives from its latest activity: last_seen never moves back', async () => {
      const scoped = (id: string) => event('shop_a', id, { sessionId: 'ses_1', sessionScoped: true });
      await store.events.insert([scoped('evt_1')], [session('shop_a', 'ses_1', now - 40 * MIN)]);
      await store.events.insert([scoped('evt_2')], [session('shop_a', 'ses_1', now - 10 * MIN)]);
      // A late batch carrying an older time must not shorten the session.
      await store.events.insert(
        [scoped('evt_3')],
        [session('shop_a', 'ses_1', now - 50 * MIN), session('shop_a', 'ses_1', now - 45 * MIN)],
      );

      expect(await store.events.applyRetention(now, timeout)).toMatchObject({
        expiredEvents: 0,
        endedSessionEvents: 0,
        endedSessions: 0,
      });
      expect(await store.events.count('shop_a')).toBe(3);
      expect(await store.events.applyRetention(now + 20 * MIN, timeout)).toMatchObject({
        expiredEvents: 0,
        endedSessionEvents: 3,
        endedSessions: 1,
      });
      expect(await store.events.count('shop_a')).toBe(0);
    });
  });
}
