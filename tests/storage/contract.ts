import type { Store } from '@vitrine/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogContract } from './contract/catalog';
import { consentContract } from './contract/consent';
import { eventsContract } from './contract/events';
import { shop } from './contract/fixtures';
import { idempotencyContract } from './contract/idempotency';
import { keysContract } from './contract/keys';
import { noticesContract } from './contract/notices';
import { retentionContract } from './contract/retention';
import { rightsContract } from './contract/rights';
import { shopsContract } from './contract/shops';
import type { StoreContext } from './contract/store';
import { transactionContract } from './contract/transactions';

/**
 * The storage contract: the behaviour callers rely on, run against every driver, one part per
 * repository (tests/storage/contract/). `open` returns a fresh, empty store (not yet migrated);
 * the suite closes it.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`storage contract: ${name}`, () => {
    let store: Store;
    const ctx: StoreContext = {
      get store() {
        return store;
      },
    };

    beforeEach(async () => {
      store = await open();
      await store.migrate();
      await store.shops.create(shop('shop_a'));
      await store.shops.create(shop('shop_b'));
    });

    afterEach(async () => {
      await store.close();
    });

    it('migrate() is idempotent', async () => {
      await store.migrate();
      await store.migrate();
      expect((await store.shops.list()).map((s) => s.id)).toEqual(['shop_a', 'shop_b']);
    });

    shopsContract(ctx);
    keysContract(ctx);
    consentContract(ctx);
    noticesContract(ctx);
    catalogContract(ctx);
    eventsContract(ctx);
    retentionContract(ctx);
    rightsContract(ctx);
    transactionContract(ctx);
    idempotencyContract(ctx);
  });
}
