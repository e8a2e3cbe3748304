import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiKey, consent, event, shop, subject, T0 } from './fixtures';
import type { StoreContext } from './store';

/** Transactions: the writes of several repositories commit together, or none does. */
export function transactionContract(ctx: StoreContext): void {
  describe('transactions', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('C9: a consent record and the deletion of withdrawn data commit together', async () => {
      const alice = subject('shop_a', 'sub_alice', { level: 0, purposes: {} });
      await store.events.insert([event('shop_a', 'e1'), event('shop_a', 'e2', { category: 'cart' })], []);
      const erased = await store.transaction(async (tx) => {
        await tx.consent.save(alice, consent(alice, 'cns_1', T0));
        return tx.events.deleteWithdrawn('shop_a', 'sub_alice', { denied: ['browsing'], sessionOnly: [] });
      });
      expect(erased).toBe(1);
      expect((await store.subjects.get('shop_a', 'sub_alice'))?.level).toBe(0);
      expect((await store.consent.listRecords('shop_a', 'sub_alice')).map((r) => r.id)).toEqual(['cns_1']);
      expect((await store.events.listForSubject('shop_a', 'sub_alice')).map((e) => e.id)).toEqual(['e2']);
    });

    it('C9: an error inside a transaction undoes every write before it and reaches the caller unchanged', async () => {
      const alice = subject('shop_a', 'sub_alice');
      await store.events.insert([event('shop_a', 'e1')], []);
      const boom = new Error('the process stopped here');
      await expect(
        store.transaction(async (tx) => {
          await tx.consent.save(alice, consent(alice, 'cns_1', T0));
          await tx.events.deleteWithdrawn('shop_a', 'sub_alice', { denied: ['browsing'], sessionOnly: [] });
          await tx.keys.add(apiKey('shop_a', 'key_1', 'aaaa1111'));
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.subjects.get('shop_a', 'sub_alice')).toBeUndefined();
      expect(await store.consent.listRecords('shop_a', 'sub_alice')).toEqual([]);
      expect(await store.events.count('shop_a')).toBe(1);
      expect(await store.keys.findByHash('aaaa1111')).toBeUndefined();
    });

    it('a storage error inside a transaction undoes the writes before it, with its code', async () => {
      const alice = subject('shop_a', 'sub_alice');
      await expect(
        store.transaction(async (tx) => {
          await tx.consent.save(alice, consent(alice, 'cns_1', T0));
          await tx.shops.create(shop('shop_a'));
        }),
      ).rejects.toMatchObject({ name: 'StorageError', code: 'duplicate' });
      expect(await store.consent.listRecords('shop_a', 'sub_alice')).toEqual([]);
    });
  });
}
