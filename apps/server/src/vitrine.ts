import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVitrineError, VitrineError } from '@vitrine/contracts';
import type { Models } from '@vitrine/engine';
import { generateMasterKey, IdentityVault, identityStartCheck, type MasterKeyring } from '@vitrine/identity';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  loadDefaultPolicy,
  loadPolicyFile,
  type Measures,
  type Policy,
} from '@vitrine/policy';
import { openStore, type Store } from '@vitrine/storage';
import pino, { type Logger } from 'pino';
import { type AuditTrail, StoreAuditTrail } from './audit-trail';
import type { Clock } from './clock';
import { type Config, ConfigError } from './config';
import type { Deps } from './deps';
import { syncCatalog } from './flows/catalog';
import { resumeErasures } from './flows/erasure';
import { type CreatedShop, createShop, setShopOrigins, updateShopPolicy } from './flows/shops';
import { refreshShops } from './jobs/refresh';
import { applyRetention, type RetentionPass } from './jobs/retention';
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
  readonly audit: AuditTrail;
  /** What flows receive. */
  readonly deps: Deps;
  readonly #shops: ShopCache;
  readonly #rebuilds: Rebuilds;
  #retentionTimer: NodeJS.Timeout | undefined;
  /** Audit entries written in the background (model builds), awaited by `idle` and `close`. */
  readonly #auditing = new Set<Promise<void>>();
  #refreshTimer: NodeJS.Timeout | undefined;

  constructor(opts: {
    store: Store;
    log: Logger;
    secret: string;
    defaultPolicy: Policy;
    now?: () => number;
    /** The identity store's master keys (D3); without them the identity store is off. */
    masterKeyring?: MasterKeyring;
  }) {
    this.store = opts.store;
    this.log = serviceLogger(opts.log);
    this.tokens = new SubjectTokens(opts.secret);
    this.defaultPolicy = opts.defaultPolicy;
    this.now = opts.now ?? Date.now;
    const clock: Clock = { now: this.now };
    this.audit = new StoreAuditTrail(this.store, clock, opts.secret);
    // D5: every build of a shop's shared models is in its audit log, with what went in.
    const built = (reason: 'start' | 'rebuild') => (shopId: string, models: Models) => {
      const s = models.stats();
      const entry = this.audit
        .record(shopId, 'model_rebuild', null, {
          reason,
          digest: models.digest(),
          subjects: s.subjects,
          sessions: s.sessions,
          interactions: s.events,
        })
        .then(
          () => undefined,
          (err: unknown) => this.log.error({ err, shopId }, 'audit entry of a model build failed'),
        );
      this.#auditing.add(entry);
      void entry.finally(() => this.#auditing.delete(entry));
      return entry;
    };
    this.#shops = new ShopCache(this.store, clock, this.log, built('start'));
    this.#rebuilds = new Rebuilds(this.#shops, this.store, clock, this.log, built('rebuild'));
    this.deps = {
      store: this.store,
      clock,
      log: this.log,
      tokens: this.tokens,
      models: new LocalModelUpdates(this.#rebuilds),
      audit: this.audit,
      identity: opts.masterKeyring ? new IdentityVault(this.store.identity, opts.masterKeyring) : undefined,
    };
  }

  /** Opens the configured store, applies migrations and loads the default policy. */
  static async open(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<Vitrine> {
    const defaultPolicy = config.policyFile ? loadPolicyFile(config.policyFile) : loadDefaultPolicy();
    assertPurposesDeclared(defaultPolicy, CODE_PURPOSES, config.policyFile ?? 'the built-in default policy');
    const store = await openStore(config.store);
    await store.migrate();
    const secret = config.secret ?? localSecret(config, 'secret.key', () => randomBytes(32).toString('hex'));
    const masterKeyring = identityKeyring(config);
    return new Vitrine({ store, log, secret, defaultPolicy, ...(masterKeyring ? { masterKeyring } : {}) });
  }

  /**
   * Completes every erasure a stop left midway (R4): run at start-up, before requests are
   * served, and with every retention pass. Returns how many were completed.
   */
  resumeErasures(): Promise<number> {
    return resumeErasures(this.deps, (shopId) => this.shop(shopId));
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
    const rt = await this.shop(created.shopId);
    await this.audit.record(created.shopId, 'policy_change', null, {
      notice_version: rt.notice.version,
      scope_hash: rt.notice.scopeHash,
    });
    return created;
  }

  /** Rebuilds a shop's shared models from the store in the background. */
  scheduleRebuild(shopId: string): void {
    this.#rebuilds.schedule(shopId);
  }

  /** Resolves when every scheduled rebuild has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.#rebuilds.idle();
    while (this.#auditing.size > 0) await Promise.all([...this.#auditing]);
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
    if (!row) throw new VitrineError('not_found', `There is no shop "${shopId}".`, { field: 'shop' });
    await updateShopPolicy(this.deps, row, policy);
    this.#shops.forget(shopId);
    const rt = await this.shop(shopId);
    await this.audit.record(shopId, 'policy_change', null, {
      notice_version: rt.notice.version,
      scope_hash: rt.notice.scopeHash,
    });
    return rt;
  }

  /**
   * What is built and enabled here, so the generated documents state it and nothing else:
   * the identity encryption sentence only with a master key, automatic deletion only while the
   * retention job runs. The privacy center is added by the app that serves it.
   */
  measures(): Omit<Measures, 'privacyCenter'> {
    return {
      identityEncryption: this.deps.identity !== undefined,
      auditLog: true,
      exactErasure: true,
      automaticDeletion: this.#retentionTimer !== undefined,
      portability: true,
      removeInterests: true,
    };
  }

  /**
   * One pass of the retention job, as the timer runs it: expired consents, expired events and
   * ended sessions (the shared models forget them in the same step), old records; then any
   * erasure left pending is resumed.
   */
  async runRetention(): Promise<RetentionPass | undefined> {
    const pass = await applyRetention(this.deps, () => this.#shops.loaded());
    await this.resumeErasures().catch((err: unknown) => this.log.error({ err }, 'resuming erasures failed'));
    return pass;
  }

  /** Sets the origins whose pages may embed the shop's customer pages (privacy center, notice). */
  setOrigins(shopId: string, origins: readonly string[]): Promise<string[]> {
    return setShopOrigins(this.deps, shopId, origins);
  }

  /** Deletes expired data every `intervalMs` (and once now). */
  startRetention(intervalMs: number): void {
    const run = () => void this.runRetention();
    run();
    this.#retentionTimer = setInterval(run, intervalMs);
    this.#retentionTimer.unref();
  }

  /** See `refreshModels` in the shop runtime: the derived model built in a worker thread. */
  refreshModels(rt: ShopRuntime): Promise<boolean> {
    return refreshModels(rt);
  }

  /** Loads catalog changes made outside this process (a file import, another API process). */
  syncCatalog(rt: ShopRuntime): Promise<number> {
    return syncCatalog(this.deps, rt);
  }

  /**
   * Every `intervalMs`: loads catalog changes made outside this process, and recomputes the
   * derived model (item-item rows over purchase histories) of each shop whose models changed
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

/** The embedded store keeps its secrets beside the database, each created on first start. */
function localSecret(config: Config, name: string, generate: () => string): string {
  if (config.store.driver !== 'sqlite' || config.store.path === ':memory:') return generate();
  mkdirSync(config.store.path, { recursive: true });
  const file = join(config.store.path, name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = generate();
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/**
 * The identity store's master keys (D3): VITRINE_MASTER_KEY when set (a key that is set but
 * unreadable stops every mode). Without it, production refuses to start; the embedded store
 * generates one and keeps it in the data folder like the token secret; otherwise (PostgreSQL
 * in development) the identity store is off, and its routes say so.
 */
function identityKeyring(config: Config): MasterKeyring | undefined {
  const embedded = config.store.driver === 'sqlite' && config.store.path !== ':memory:';
  const masterKey =
    config.masterKey ??
    (embedded && config.mode !== 'production'
      ? localSecret(config, 'master.key', generateMasterKey)
      : undefined);
  const check = identityStartCheck(config.mode, { masterKey, previousMasterKeys: config.previousMasterKeys });
  if (!check.ok) throw new ConfigError(`configuration: ${check.message}`);
  // Off: the routes say so, and `vitrine serve` logs it at start (commands print nothing extra).
  return check.identityStore === 'disabled' ? undefined : check.keyring;
}
