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

    it('rejects a duplicate shop and a policy update of an unknown shop, with codes', async () => {
      await expect(store.shops.create(shop('shop_a'))).rejects.toMatchObject({
        name: 'StorageError',
        code: 'duplicate',
      });
      await expect(store.shops.updatePolicy('shop_x', '{}')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
