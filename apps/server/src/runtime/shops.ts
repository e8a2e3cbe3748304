import { VitrineError } from '@vitrine/contracts';
import type { Models } from '@vitrine/engine';
import type { Store } from '@vitrine/storage';
import type { Clock } from '../clock';
import { loadShopRuntime, type ShopRuntime } from './shop-runtime';

/** The shops' in-memory state, each loaded once on first use and kept until it is forgotten. */
export class ShopCache {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #shops = new Map<string, Promise<ShopRuntime>>();

  readonly #onLoaded: (shopId: string, models: Models) => void;

  /** `onLoaded` is told of each shop's models as built at load (the audit log records it, D5). */
  constructor(store: Store, clock: Clock, onLoaded: (shopId: string, models: Models) => void = () => {}) {
    this.#store = store;
    this.#clock = clock;
    this.#onLoaded = onLoaded;
  }

  /** A shop's runtime, loaded on first use (policy checked, notice stored, models built). */
  get(shopId: string): Promise<ShopRuntime> {
    let rt = this.#shops.get(shopId);
    if (!rt) {
      rt = (async () => {
        const row = await this.#store.shops.get(shopId);
        if (!row) throw new VitrineError('not_found', `There is no shop ${shopId}.`, { field: 'shop' });
        const loaded = await loadShopRuntime(this.#store, row, this.#clock.now());
        this.#onLoaded(shopId, loaded.models);
        return loaded;
      })();
      rt.catch(() => this.#shops.delete(shopId));
      this.#shops.set(shopId, rt);
    }
    return rt;
  }

  /** The shops loaded so far. */
  loaded(): Promise<ShopRuntime[]> {
    return Promise.all([...this.#shops.values()]);
  }

  /** Drops a shop's state; the next `get` loads it afresh from the store. */
  forget(shopId: string): void {
    this.#shops.delete(shopId);
  }
}
