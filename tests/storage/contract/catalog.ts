import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { item, MIN, T0, withoutTitle } from './fixtures';
import type { StoreContext } from './store';

/** The catalog: atomic upserts, paging, counts. */
export function catalogContract(ctx: StoreContext): void {
  describe('items', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('lists only items changed since a time, for catalog syncs', async () => {
      await store.catalog.upsert([item('shop_a', 'old'), item('shop_a', 'new', { updatedAt: T0 + MIN })]);
      await store.catalog.upsert([item('shop_b', 'other', { updatedAt: T0 + MIN })]);
      const changed = await store.catalog.list('shop_a', { updatedSince: T0 + MIN });
      expect(changed.map((i) => i.id)).toEqual(['new']);
      expect(await store.catalog.list('shop_a', { updatedSince: T0 + 2 * MIN })).toEqual([]);
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
      await store.catalog.upsert([fancy]);
      expect(await store.catalog.get('shop_a', 'i1')).toEqual(fancy);
    });

    it('upsert replaces every field of an existing item', async () => {
      await store.catalog.upsert([item('shop_a', 'i1'), item('shop_a', 'i2')]);
      const changed = item('shop_a', 'i1', {
        title: 'New title',
        categoryPath: ['Sale'],
        price: 5,
        currency: 'CHF',
        attributes: { size: 'L' },
        available: false,
        updatedAt: T0 + 1,
      });
      await store.catalog.upsert([changed]);
      expect(await store.catalog.get('shop_a', 'i1')).toEqual(changed);
      expect(await store.catalog.get('shop_a', 'i2')).toEqual(item('shop_a', 'i2'));
      expect(await store.catalog.count('shop_a')).toBe(2);
    });

    it('the last of several rows for one item in a batch wins', async () => {
      await store.catalog.upsert([item('shop_a', 'i1', { price: 1 }), item('shop_a', 'i1', { price: 2 })]);
      expect((await store.catalog.get('shop_a', 'i1'))?.price).toBe(2);
    });

    it('is all-or-none: one invalid row leaves stored items unchanged', async () => {
      await store.catalog.upsert([item('shop_a', 'i1'), item('shop_a', 'i2')]);
      const batch = [
        item('shop_a', 'i1', { title: 'changed' }),
        item('shop_a', 'i3'),
        ...Array.from({ length: 1500 }, (_, n) => item('shop_a', `bulk_${n}`)),
        withoutTitle(item('shop_a', 'i4')),
      ];
      await expect(store.catalog.upsert(batch)).rejects.toMatchObject({
        name: 'StorageError',
        code: 'constraint',
      });
      expect(await store.catalog.get('shop_a', 'i1')).toEqual(item('shop_a', 'i1'));
      expect(await store.catalog.get('shop_a', 'i3')).toBeUndefined();
      expect(await store.catalog.count('shop_a')).toBe(2);
    });

    it('failure messages name the operation, not the SQL, and keep the cause', async () => {
      const error = await store.catalog.upsert([withoutTitle(item('shop_a', 'i1'))]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const { message, cause } = error as Error;
      expect(message).toMatch(/^Could not store items/);
      expect(message).not.toMatch(/insert|items\s*\(|values|select/i);
      expect(cause).toBeInstanceOf(Error);
    });

    it('lists and counts per shop, with keyset paging', async () => {
      await store.catalog.upsert(['c', 'a', 'e', 'b', 'd'].map((id) => item('shop_a', id)));
      await store.catalog.upsert([item('shop_b', 'a', { title: 'B shop item' }), item('shop_b', 'z')]);

      expect((await store.catalog.list('shop_a')).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect((await store.catalog.list('shop_a', { limit: 2 })).map((i) => i.id)).toEqual(['a', 'b']);
      expect((await store.catalog.list('shop_a', { after: 'b', limit: 2 })).map((i) => i.id)).toEqual([
        'c',
        'd',
      ]);
      expect((await store.catalog.list('shop_a', { after: 'e' })).map((i) => i.id)).toEqual([]);
      expect(await store.catalog.get('shop_a', 'a')).toEqual(item('shop_a', 'a'));
      expect((await store.catalog.get('shop_b', 'a'))?.title).toBe('B shop item');
      expect(await store.catalog.get('shop_b', 'c')).toBeUndefined();
      expect(await store.catalog.count('shop_a')).toBe(5);
      expect(await store.catalog.count('shop_b')).toBe(2);
      expect(await store.catalog.count('shop_x')).toBe(0);
    });
  });
}
