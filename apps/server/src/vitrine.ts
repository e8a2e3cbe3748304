import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VitrineError } from '@vitrine/contracts';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  loadDefaultPolicy,
  loadPolicyFile,
  type Policy,
} from '@vitrine/policy';
import { openStore, type Store } from '@vitrine/storage';
import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { solveEase } from './jobs/solve-ease';
import { generateApiKey } from './keys';
import {
  loadShopPolicy,
  loadShopRuntime,
  newShopRow,
  readItems,
  rebuildModels,
  type ShopRuntime,
} from './shop-runtime';
import { SubjectTokens } from './subject-token';

export interface CreatedShop {
  shopId: string;
  name: string;
  secretKey: string;
  publicKey: string;
}

/**
 * The running service: the store, the shops' in-memory state (policy, notice, models) and
 * the background jobs. Flows receive it; nothing below apps/ sees it.
 */
export class Vitrine {
  readonly store: Store;
  readonly log: Logger;
  readonly tokens: SubjectTokens;
  readonly defaultPolicy: Policy;
  readonly #shops = new Map<string, Promise<ShopRuntime>>();
  #retentionTimer: NodeJS.Timeout | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;
  readonly #rebuilds = new Map<string, { again: boolean }>();
  #pending: Promise<void> = Promise.resolve();
  readonly now: () => number;

  constructor(opts: {
    store: Store;
    log: Logger;
    secret: string;
    defaultPolicy: Policy;
    now?: () => number;
  }) {
    this.store = opts.store;
    this.log = opts.log;
    this.tokens = new SubjectTokens(opts.secret);
    this.defaultPolicy = opts.defaultPolicy;
    this.now = opts.now ?? Date.now;
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
    let rt = this.#shops.get(shopId);
    if (!rt) {
      rt = (async () => {
        const row = await this.store.getShop(shopId);
        if (!row) throw new VitrineError('not_found', `There is no shop ${shopId}.`, { field: 'shop' });
        return loadShopRuntime(this.store, row, this.now());
      })();
      rt.catch(() => this.#shops.delete(shopId));
      this.#shops.set(shopId, rt);
    }
    return rt;
  }

  /** Loads every shop, so a policy error stops the start instead of the first request. */
  async loadAllShops(): Promise<ShopRuntime[]> {
    const shops = await this.store.listShops();
    return Promise.all(shops.map((s) => this.shop(s.id)));
  }

  async createShop(name: string, policy: Policy = this.defaultPolicy): Promise<CreatedShop> {
    const row = newShopRow(name, policy, this.now());
    await this.store.createShop(row);
    const keys: Record<'secret' | 'public', string> = { secret: '', public: '' };
    for (const kind of ['secret', 'public'] as const) {
      const k = generateApiKey(kind);
      await this.store.addApiKey({
        id: `key_${k.hash.slice(0, 16)}`,
        shopId: row.id,
        kind,
        hash: k.hash,
        prefix: k.prefix,
        createdAt: row.createdAt,
        revokedAt: null,
      });
      keys[kind] = k.key;
    }
    await this.shop(row.id);
    return { shopId: row.id, name: row.name, secretKey: keys.secret, publicKey: keys.public };
  }

  /**
   * Rebuilds a shop's shared models in the background (at most one rebuild at a time per
   * shop; a request during a rebuild runs one more afterwards).
   */
  scheduleRebuild(shopId: string): void {
    const state = this.#rebuilds.get(shopId);
    if (state) {
      state.again = true;
      return;
    }
    const entry = { again: false };
    this.#rebuilds.set(shopId, entry);
    const run = async (): Promise<void> => {
      try {
        const rt = await this.shop(shopId);
        const models = await rebuildModels(
          this.store,
          { id: shopId, notice: rt.notice, compiled: rt.compiled },
          [...rt.catalog.values()],
          this.now(),
        );
        rt.models = models;
      } catch (err) {
        this.log.error({ err, shopId }, 'model rebuild failed');
      }
      if (entry.again) {
        entry.again = false;
        return run();
      }
      this.#rebuilds.delete(shopId);
    };
    this.#pending = Promise.all([this.#pending, run()]).then(() => undefined);
  }

  /**
   * Call after changing a shop's models in place: a rebuild that is running may have read the
   * store before the change, so it runs once more and the result stays exact.
   */
  modelsChanged(shopId: string): void {
    const state = this.#rebuilds.get(shopId);
    if (state) state.again = true;
  }

  /** Resolves when every scheduled rebuild has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#rebuilds.size > 0) await this.#pending;
  }

  /**
   * Replaces a shop's policy. It is validated first (a bad policy changes nothing); a new
   * notice version is stored when the text or scope changed, and customers whose purposes
   * changed are treated as not consenting to the changed parts until asked again (C11).
   */
  async updatePolicy(shopId: string, policy: Policy): Promise<ShopRuntime> {
    const current = await this.shop(shopId);
    const candidate = { ...current.shop, policy: JSON.stringify(policy) };
    loadShopPolicy(candidate);
    await this.store.updateShopPolicy(shopId, candidate.policy);
    this.#shops.delete(shopId);
    return this.shop(shopId);
  }

  /** Deletes expired data every `intervalMs` (and once now). */
  startRetention(intervalMs: number): void {
    const run = async () => {
      try {
        const shops = await Promise.all([...this.#shops.values()]);
        // One pass for all shops: the shortest session timeout wins, which never keeps session data longer than promised.
        const timeout =
          shops.length > 0 ? Math.min(...shops.map((s) => s.compiled.sessionTimeoutMs)) : 30 * 60_000;
        const r = await this.store.applyRetention(this.now(), timeout);
        if (r.expiredEvents + r.endedSessionEvents > 0) this.log.info(r, 'retention: expired data deleted');
      } catch (err) {
        this.log.error({ err }, 'retention job failed');
      }
    };
    void run();
    this.#retentionTimer = setInterval(run, intervalMs);
    this.#retentionTimer.unref();
  }

  /**
   * Recomputes a shop's derived model weights with the heavy solve in a worker thread. If an
   * erasure happened meanwhile, the result is dropped (it would bring the subject back) and the
   * next interval tries again.
   */
  async refreshModels(rt: ShopRuntime): Promise<boolean> {
    const job = rt.models.prepareRefresh();
    if (job === null) return true;
    const weights = await solveEase(job.input.gram, job.input.n, job.input.lambda);
    return rt.models.completeRefresh(job, weights);
  }

  /**
   * Loads items changed in the store since the last sync (a file import, another API process)
   * into the shop's in-memory catalog and models.
   */
  async syncCatalog(rt: ShopRuntime): Promise<number> {
    const since = rt.catalogSyncedAt;
    rt.catalogSyncedAt = this.now();
    const items = await readItems(this.store, rt.shop.id, since);
    if (items.length === 0) return 0;
    rt.models.upsertItems(items);
    for (const i of items) rt.catalog.set(i.id, i);
    this.modelsChanged(rt.shop.id);
    return items.length;
  }

  /**
   * Every `intervalMs`: loads catalog changes made outside this process, and recomputes the
   * derived model weights (EASE over purchase histories) of each shop whose models changed
   * since their last refresh. The exact counts are always current; only these derived weights
   * (and file imports) lag by at most one interval.
   */
  startModelRefresh(intervalMs: number): void {
    this.#refreshTimer = setInterval(async () => {
      for (const rt of await Promise.all([...this.#shops.values()])) {
        await this.syncCatalog(rt).catch((err) =>
          this.log.error({ err, shopId: rt.shop.id }, 'catalog sync failed'),
        );
        if (!rt.models.stats().easeStale) continue;
        const t0 = performance.now();
        await this.refreshModels(rt).catch((err) =>
          this.log.error({ err, shopId: rt.shop.id }, 'model refresh failed'),
        );
        this.log.info({ shopId: rt.shop.id, ms: Math.round(performance.now() - t0) }, 'models refreshed');
      }
    }, intervalMs);
    this.#refreshTimer.unref();
  }

  async close(): Promise<void> {
    if (this.#retentionTimer) clearInterval(this.#retentionTimer);
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    await this.idle();
    await this.store.close();
  }
}

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
