import type { Store } from '@vitrine/storage';

/** The store under test: a fresh, migrated store with shops shop_a and shop_b, opened before each test. */
export interface StoreContext {
  readonly store: Store;
}
