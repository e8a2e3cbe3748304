import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { shop } from './fixtures';
import type { StoreContext } from './store';

/** Shops: create, read, list, policy updates. */
export function shopsContract(ctx: StoreContext): void {
  describe('shops', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('stores, lists and updates shops', async () => {
      expect(await store.shops.get('shop_a')).toEqual(shop('shop_a'));
      expect(await store.shops.get('shop_x')).toBeUndefined();
      await store.shops.updatePolicy('shop_a', '{"v":2}');
      expect((await store.shops.get('shop_a'))?.policy).toBe('{"v":2}');
      expect((await store.shops.get('shop_b'))?.policy).toBe('{"shop":"shop_b"}');
    });

    it('stores the origins that may embed the customer pages, none by default', async () => {
      expect((await store.shops.get('shop_a'))?.origins).toEqual([]);
      await store.shops.updateOrigins('shop_a', ['https://shop.example', 'http://127.0.0.1:3000']);
      expect((await store.shops.get('shop_a'))?.origins).toEqual([
        'https://shop.example',
        'http://127.0.0.1:3000',
      ]);
      expect((await store.shops.get('shop_b'))?.origins).toEqual([]);
      await expect(store.shops.updateOrigins('shop_x', [])).rejects.toMatchObject({ code: 'not_found' });
    });

    it('rejects a duplicate shop and a policy update of an unknown shop, with codes', async () => {
      await expect(store.shops.create(shop('shop_a'))).rejects.toMatchObject({
        name: 'StorageError',
        code: 'duplicate',
      });
      await expect(store.shops.updatePolicy('shop_x', '{}')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
