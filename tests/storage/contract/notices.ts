import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { notice } from './fixtures';
import type { StoreContext } from './store';

/** Notices: each (notice, version, language) written once. */
export function noticesContract(ctx: StoreContext): void {
  describe('notices', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('stores each (notice, version, language) once and finds the latest', async () => {
      await store.notices.put(notice('shop_a', 1, 'de', 'Version eins'));
      await store.notices.put(notice('shop_a', 2, 'de', 'Version zwei – ä ö ü ß'));
      await store.notices.put(notice('shop_a', 1, 'en', 'Version one'));
      await store.notices.put(notice('shop_a', 1, 'de', 'a later text for the same version is ignored'));

      expect(await store.notices.get('shop_a', 'main', 1, 'de')).toEqual(
        notice('shop_a', 1, 'de', 'Version eins'),
      );
      expect(await store.notices.latest('shop_a', 'main', 'de')).toEqual(
        notice('shop_a', 2, 'de', 'Version zwei – ä ö ü ß'),
      );
      expect((await store.notices.latest('shop_a', 'main', 'en'))?.version).toBe(1);
      expect(await store.notices.latest('shop_a', 'main', 'fr')).toBeUndefined();
      expect(await store.notices.get('shop_b', 'main', 1, 'de')).toBeUndefined();
      expect(await store.notices.latest('shop_b', 'main', 'de')).toBeUndefined();
    });
  });
}
