import type { Models } from '@vitrine/engine';
import type { Store } from '@vitrine/storage';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { rebuildModels } from './shop-runtime';
import type { ShopCache } from './shops';

/**
 * Rebuilds shops' shared models in the background: at most one rebuild at a time per shop; a
 * request during a rebuild runs one more afterwards.
 */
export class Rebuilds {
  readonly #running = new Map<string, { again: boolean }>();
  #pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly shops: ShopCache,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Told of every finished rebuild (the audit log records it, D5). */
    private readonly onRebuilt: (shopId: string, models: Models) => Promise<void> | void = () => {},
  ) {}

  schedule(shopId: string): void {
    const state = this.#running.get(shopId);
    if (state) {
      state.again = true;
      return;
    }
    const entry = { again: false };
    this.#running.set(shopId, entry);
    const run = async (): Promise<void> => {
      try {
        const rt = await this.shops.get(shopId);
        const models = await rebuildModels(
          this.store,
          { id: shopId, notice: rt.notice, compiled: rt.compiled },
          [...rt.catalog.values()],
          this.clock.now(),
        );
        rt.models = models;
        await this.onRebuilt(shopId, models);
      } catch (err) {
        this.log.error({ err, shopId }, 'model rebuild failed');
      }
      if (entry.again) {
        entry.again = false;
        return run();
      }
      this.#running.delete(shopId);
    };
    this.#pending = Promise.all([this.#pending, run()]).then(() => undefined);
  }

  /**
   * Call after changing a shop's models in place: a rebuild that is running may have read the
   * store before the change, so it runs once more and the result stays exact.
   */
  changed(shopId: string): void {
    const state = this.#running.get(shopId);
    if (state) state.again = true;
  }

  /** Resolves when every scheduled rebuild has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await this.#pending;
  }
}
