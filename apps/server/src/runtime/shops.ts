import { isVitrineError, VitrineError } from '@vitrine/contracts';
import type { Models } from '@vitrine/engine';
import { isPolicyError } from '@vitrine/policy';
import { isStorageError, type Store } from '@vitrine/storage';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { loadShopRuntime, type ShopRuntime } from './shop-runtime';

/** A shop that could not be loaded, as readiness reports it. */
export interface UnavailableShop {
  shop: string;
  /** Why, in words an operator can act on (the policy path and problem, for a policy). */
  reason: string;
  since: number;
}

const SHOP_ID = /^[A-Za-z0-9_-]{1,128}$/;

const noShop = (shopId: string) =>
  new VitrineError('not_found', `There is no shop "${shopId.slice(0, 140)}".`, {
    field: 'shop',
  });

/** How long a shop that failed to load is answered 503 before loading it is tried again. */
const RETRY_BROKEN_MS = 30_000;

/**
 * The shops' in-memory state, each loaded once on first use and kept until it is forgotten.
 * A shop that cannot be loaded (its stored policy does not parse, say) is logged, listed by
 * `unavailable()` and answered 503 `shop_unavailable` — and only that shop: every other shop
 * is served. Loading it is tried again after a while, and at once after `forget`. A storage
 * outage is not the shop's fault: it is passed on (503 `unavailable`) and marks nothing.
 */
export class ShopCache {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #shops = new Map<string, Promise<ShopRuntime>>();
  readonly #broken = new Map<string, UnavailableShop & { at: number }>();

  readonly #onLoaded: (shopId: string, models: Models) => Promise<void> | void;

  /** `onLoaded` is told of each shop's models as built at load (the audit log records it, D5). */
  constructor(
    store: Store,
    clock: Clock,
    log: Logger,
    onLoaded: (shopId: string, models: Models) => Promise<void> | void = () => {},
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#log = log;
    this.#onLoaded = onLoaded;
  }

  /** A shop's runtime, loaded on first use (policy checked, notice stored, models built). */
  get(shopId: string): Promise<ShopRuntime> {
    // Shop ids are letters, digits and `_`: anything else (from a URL path) names no shop and
    // is not sent to the database, where NUL or invalid text would be a driver error.
    if (!SHOP_ID.test(shopId)) return Promise.reject(noShop(shopId));
    const broken = this.#broken.get(shopId);
    if (broken !== undefined && performance.now() - broken.at < RETRY_BROKEN_MS) {
      return Promise.reject(unavailableError(broken.at));
    }
    let rt = this.#shops.get(shopId);
    if (!rt) {
      rt = (async () => {
        const row = await this.#store.shops.get(shopId);
        if (!row) throw noShop(shopId);
        try {
          const loaded = await loadShopRuntime(this.#store, row, this.#clock.now());
          if (this.#broken.delete(shopId)) this.#log.info({ shopId }, 'shop loaded again');
          // Within the load, so that no write of it lands after the request that caused it.
          await this.#onLoaded(shopId, loaded.models);
          return loaded;
        } catch (err) {
          if (isStorageError(err)) throw err;
          const since = broken?.since ?? this.#clock.now();
          const at = performance.now();
          this.#broken.set(shopId, { shop: shopId, reason: reasonOf(err), since, at });
          this.#log.error({ err, shopId }, 'shop cannot be loaded; its routes answer 503 shop_unavailable');
          throw unavailableError(at);
        }
      })();
      rt.catch(() => this.#shops.delete(shopId));
      this.#shops.set(shopId, rt);
    }
    return rt;
  }

  /** The shops loaded so far; a shop that failed to load is not among them. */
  async loaded(): Promise<ShopRuntime[]> {
    const settled = await Promise.allSettled([...this.#shops.values()]);
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** The shops that could not be loaded, and why. */
  unavailable(): UnavailableShop[] {
    return [...this.#broken.values()].map(({ shop, reason, since }) => ({ shop, reason, since }));
  }

  /** Drops a shop's state; the next `get` loads it afresh from the store. */
  forget(shopId: string): void {
    this.#shops.delete(shopId);
    this.#broken.delete(shopId);
  }
}

function unavailableError(failedAt: number): VitrineError {
  const retryAfterS = Math.max(1, Math.ceil((RETRY_BROKEN_MS - (performance.now() - failedAt)) / 1000));
  return new VitrineError(
    'shop_unavailable',
    `This shop cannot be served right now: its configuration could not be loaded. The operator sees why at /readyz and in the log; other shops are not affected. Try again in ${retryAfterS} seconds.`,
    { retryAfterS },
  );
}

/** Policy errors name the path and the problem; anything else is a fault of ours, told by type only. */
function reasonOf(err: unknown): string {
  if (isPolicyError(err) || isVitrineError(err) || err instanceof SyntaxError) return (err as Error).message;
  return `the shop could not be loaded (${err instanceof Error ? err.name : typeof err}); see the log`;
}
