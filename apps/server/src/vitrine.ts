import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVitrineError, VitrineError } from '@vitrine/contracts';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  loadDefaultPolicy,
  loadPolicyFile,
  type Policy,
} from '@vitrine/policy';
import { openStore, type Store } from '@vitrine/storage';
import pino, { type Logger } from 'pino';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Deps } from './deps';
import { syncCatalog } from './flows/catalog';
import { type CreatedShop, createShop, setShopOrigins, updateShopPolicy } from './flows/shops';
import { refreshShops } from './jobs/refresh';
import { applyRetention } from './jobs/retention';
import { serviceLogger } from './log';
import { LocalModelUpdates } from './model-updates';
import { Rebuilds } from './runtime/rebuilds';
import { refreshModels, type ShopRuntime } from './runtime/shop-runtime';
import { ShopCache, type UnavailableShop } from './runtime/shops';
import { SubjectTokens } from './subject-token';

export type { CreatedShop, UnavailableShop };

/** What `/readyz` reports: whether the store answers, and which shops cannot be served, and why. */
export interface Readiness {
  /** `ready`: all served; `degraded`: some shops unavailable, the rest served; `unavailable`: the store does not answer. */
  status: 'ready' | 'degraded' | 'unavailable';
  store: { dialect: 'sqlite' | 'postgres'; reachable: boolean };
  shops: { loaded: number; unavailable: UnavailableShop[] };
}

/**
 * The running service and the composition root: it opens the store, fills in the `Deps` that
 * flows receive, and holds what lives as long as the process (the shops' in-memory state, the
 * rebuild scheduler, the timers). Flows never see it; nothing below apps/ does either.
 */
export class Vitrine {
  readonly store: Store;
  readonly log: Logger;
  readonly tokens: SubjectTokens;
  readonly defaultPolicy: Policy;
  readonly now: () => number;
  /** What flows receive. */
  readonly deps: Deps;
  readonly #shops: ShopCache;
  readonly #rebuilds: Rebuilds;
  #retentionTimer: NodeJS.Timeout | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;

  constructor(opts: {
    store: Store;
    log: Logger;
    secret: string;
    defaultPolicy: Policy;
    now?: () => number;
  }) {
    this.store = opts.store;
    this.log = serviceLogger(opts.log);
    this.tokens = new SubjectTokens(opts.secret);
    this.defaultPolicy = opts.defaultPolicy;
    this.now = opts.now ?? Date.now;
    const clock: Clock = { now: this.now };
    this.#shops = new ShopCache(this.store, clock, this.log);
    this.#rebuilds = new Rebuilds(this.#shops, this.store, clock, this.log);
    this.deps = {
      store: this.store,
      clock,
      log: this.log,
      tokens: this.tokens,
      models: new LocalModelUpdates(this.#rebuilds),
    };
  }

  /** Opens the configured store, applies migrations and loads the default policy. */
  static async open(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<Vitrine> {
    const defaultPolicy = config.policyFile ? loadPolicyFile(config.policyFile) : loadDefaultPolicy();
    assertPurposesDeclared(defaultPolicy, CODE_PURPOSES, config.policyFile ?? 'the built-in default policy');
    const store = await openStore(config.store);
    await store.migrate();
    const secret = config.secret ?? localSecret(config);
    return new Vitrine({ store, log, secret, defaultPolicy });
  }

  /** A shop's runtime, loaded on first use (policy checked, notice stored, models built). */
  shop(shopId: string): Promise<ShopRuntime> {
    return this.#shops.get(shopId);
  }

  /**
   * Loads every shop at start-up. A shop that cannot be loaded is logged and reported by
   * `readiness()`, and the start goes on: one bad shop never stops the others.
   */
  async loadAllShops(): Promise<{ loaded: ShopRuntime[]; unavailable: UnavailableShop[] }> {
    const shops = await this.store.shops.list();
    const settled = await Promise.allSettled(shops.map((s) => this.shop(s.id)));
    const loaded = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const r of settled) if (r.status === 'rejected' && !isShopUnavailable(r.reason)) throw r.reason;
    return { loaded, unavailable: this.#shops.unavailable() };
  }

  /** Whether the store answers and which shops cannot be served (`/readyz`). */
  async readiness(): Promise<Readiness> {
    const reachable = await this.store.ping().then(
      () => true,
      () => false,
    );
    const unavailable = this.#shops.unavailable();
    const loaded = (await this.#shops.loaded()).length;
    return {
      status: !reachable ? 'unavailable' : unavailable.length > 0 ? 'degraded' : 'ready',
      store: { dialect: this.store.dialect, reachable },
      shops: { loaded, unavailable },
    };
  }

  /** A new shop: its row, keys, policy and notice commit together, or nothing is stored. */
  async createShop(name: string, policy: Policy = this.defaultPolicy): Promise<CreatedShop> {
    const created = await createShop(this.deps, name, policy);
    await this.shop(created.shopId);
    return created;
  }

  /** Rebuilds a shop's shared models from the store in the background. */
  scheduleRebuild(shopId: string): void {
    this.#rebuilds.schedule(shopId);
  }

  /** Resolves when every scheduled rebuild has finished (for tests and shutdown). */
  idle(): Promise<void> {
    return this.#rebuilds.idle();
  }

  /**
   * Replaces a shop's policy. It is validated first (a bad policy changes nothing); a new
   * notice version is stored when the text or scope changed, and customers whose purposes
   * changed are treated as not consenting to the changed parts until asked again (C11).
   */
  async updatePolicy(shopId: string, policy: Policy): Promise<ShopRuntime> {
    // From the stored row, not the loaded shop: this is how a shop whose policy no longer
    // loads is mended.
    const row = await this.store.shops.get(shopId);
    if (!row) throw new VitrineError('not_found', `There is no shop ${shopId}.`, { field: 'shop' });
    await updateShopPolicy(this.deps, row, policy);
    this.#shops.forget(shopId);
    return this.shop(shopId);
  }

  /** Sets the origins whose pages may embed the shop's customer pages (privacy center, notice). */
  setOrigins(shopId: string, origins: readonly string[]): Promise<string[]> {
    return setShopOrigins(this.deps, shopId, origins);
  }

  /** Deletes expired data every `intervalMs` (and once now). */
  startRetention(intervalMs: number): void {
    const run = () => applyRetention(this.deps, () => this.#shops.loaded());
    void run();
    this.#retentionTimer = setInterval(run, intervalMs);
    this.#retentionTimer.unref();
  }

  /** See `refreshModels` in the shop runtime: the EASE solve in a worker thread. */
  refreshModels(rt: ShopRuntime): Promise<boolean> {
    return refreshModels(rt);
  }

  /** Loads catalog changes made outside this process (a file import, another API process). */
  syncCatalog(rt: ShopRuntime): Promise<number> {
    return syncCatalog(this.deps, rt);
  }

  /**
   * Every `intervalMs`: loads catalog changes made outside this process, and recomputes the
   * derived model weights (EASE over purchase histories) of each shop whose models changed
   * since their last refresh. The exact counts are always current; only these derived weights
   * (and file imports) lag by at most one interval.
   */
  startModelRefresh(intervalMs: number): void {
    this.#refreshTimer = setInterval(() => refreshShops(this.deps, () => this.#shops.loaded()), intervalMs);
    this.#refreshTimer.unref();
  }

  async close(): Promise<void> {
    if (this.#retentionTimer) clearInterval(this.#retentionTimer);
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    await this.idle();
    await this.store.close();
  }
}

const isShopUnavailable = (e: unknown): boolean => isVitrineError(e) && e.code === 'shop_unavailable';

/** The embedded store keeps its token secret beside the database, created on first start. */
function localSecret(config: Config): string {
  if (config.store.driver !== 'sqlite' || config.store.path === ':memory:')
    return randomBytes(32).toString('hex');
  mkdirSync(config.store.path, { recursive: true });
  const file = join(config.store.path, 'secret.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
