import type { IdempotencyRow, Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { MIN, T0 } from './fixtures';
import type { StoreContext } from './store';

const DAY = 24 * 60 * MIN;

const answer = (over: Partial<IdempotencyRow> = {}): IdempotencyRow => ({
  shopId: 'shop_a',
  scope: 'secret',
  key: 'key-1',
  fingerprint: 'f1',
  status: 200,
  response: '{"accepted":1}',
  createdAt: T0,
  expiresAt: T0 + DAY,
  ...over,
});

/** Idempotency keys (#11): the first answer is kept 24 h, never overwritten while live, then purged. */
export function idempotencyContract(ctx: StoreContext): void {
  describe('idempotency keys', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('stores the first answer once: a second put under a live key changes nothing', async () => {
      expect(await store.idempotency.put(answer())).toBe(true);
      expect(await store.idempotency.put(answer({ fingerprint: 'f2', response: '{}' }))).toBe(false);
      expect(await store.idempotency.get('shop_a', 'secret', 'key-1', T0 + 1)).toEqual(answer());
    });

    it('keys are per shop and per scope', async () => {
      await store.idempotency.put(answer());
      expect(await store.idempotency.put(answer({ shopId: 'shop_b' }))).toBe(true);
      expect(await store.idempotency.put(answer({ scope: 'public:abc' }))).toBe(true);
      expect(await store.idempotency.get('shop_b', 'secret', 'key-1', T0)).toMatchObject({
        shopId: 'shop_b',
      });
      expect(await store.idempotency.get('shop_a', 'public:other', 'key-1', T0)).toBeUndefined();
    });

    it('an expired answer is not found, is replaced by a new one, and is purged', async () => {
      await store.idempotency.put(answer());
      await store.idempotency.put(answer({ key: 'key-2', expiresAt: T0 + 2 * DAY }));
      expect(await store.idempotency.get('shop_a', 'secret', 'key-1', T0 + DAY)).toBeUndefined();
      const later = answer({ fingerprint: 'f2', createdAt: T0 + DAY, expiresAt: T0 + 2 * DAY });
      expect(await store.idempotency.put(later)).toBe(true);
      expect(await store.idempotency.get('shop_a', 'secret', 'key-1', T0 + DAY)).toEqual(later);
      expect(await store.idempotency.purgeExpired(T0 + 2 * DAY)).toBe(2);
      expect(await store.idempotency.get('shop_a', 'secret', 'key-2', T0)).toBeUndefined();
    });

    it("R4: a caller's answers are counted and deleted by scope, in one shop only", async () => {
      await store.idempotency.put(answer({ scope: 'public:gone' }));
      await store.idempotency.put(answer({ scope: 'public:gone', key: 'key-2' }));
      await store.idempotency.put(answer({ scope: 'public:kept' }));
      await store.idempotency.put(answer({ scope: 'public:gone', shopId: 'shop_b' }));
      expect(await store.idempotency.countScope('shop_a', 'public:gone')).toBe(2);
      expect(await store.idempotency.deleteScope('shop_a', 'public:gone')).toBe(2);
      expect(await store.idempotency.countScope('shop_a', 'public:gone')).toBe(0);
      expect(await store.idempotency.get('shop_a', 'public:gone', 'key-1', T0)).toBeUndefined();
      expect(await store.idempotency.countScope('shop_a', 'public:kept')).toBe(1);
      expect(await store.idempotency.countScope('shop_b', 'public:gone')).toBe(1);
      expect(await store.idempotency.deleteScope('shop_a', 'public:gone')).toBe(0);
    });

    it('ping answers while the database is reachable', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
