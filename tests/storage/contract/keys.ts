import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiKey, T0 } from './fixtures';
import type { StoreContext } from './store';

/** API keys: found by hash, never when revoked. */
export function keysContract(ctx: StoreContext): void {
  describe('API keys', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('finds a key by its hash, and never a revoked one', async () => {
      await store.keys.add(apiKey('shop_a', 'key_1', 'aaaa1111'));
      await store.keys.add(apiKey('shop_b', 'key_2', 'bbbb2222'));
      await store.keys.add(apiKey('shop_a', 'key_3', 'cccc3333', T0 + 1));
      expect(await store.keys.findByHash('aaaa1111')).toEqual(apiKey('shop_a', 'key_1', 'aaaa1111'));
      expect((await store.keys.findByHash('bbbb2222'))?.shopId).toBe('shop_b');
      expect(await store.keys.findByHash('cccc3333')).toBeUndefined();
      expect(await store.keys.findByHash('dddd4444')).toBeUndefined();
    });

    it('rejects a duplicate hash and a key of an unknown shop', async () => {
      await store.keys.add(apiKey('shop_a', 'key_1', 'aaaa1111'));
      await expect(store.keys.add(apiKey('shop_b', 'key_2', 'aaaa1111'))).rejects.toMatchObject({
        code: 'duplicate',
      });
      await expect(store.keys.add(apiKey('shop_x', 'key_3', 'eeee5555'))).rejects.toMatchObject({
        code: 'constraint',
      });
    });
  });
}
