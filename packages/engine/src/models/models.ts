import { defaultOptions, type ModelOptions } from '../options';
import type { CatalogItem, Interaction } from '../types';
import { Fnv64 } from './fingerprint';
import { buildEase, type EaseInput, type EaseModel, finishEase, prepareEase } from './history';
import { ItemTable } from './items';
import { compareIds, Popularity } from './popularity';
import { SessionStore, TYPE_CODE } from './sessions';

export interface ModelStats {
  items: number;
  catalogItems: number;
  sessions: number;
  subjects: number;
  events: number;
  easeItems: number;
  /** true when the derived EASE weights are missing or older than the last change; run `refresh()` */
  easeStale: boolean;
}

/** A prepared refresh: the input of the EASE solve and the state it was taken from. */
export interface RefreshJob {
  readonly input: EaseInput;
  readonly version: number;
  readonly removals: number;
}

export interface RemovalReceipt {
  subject: string;
  sessions: number;
  interactions: number;
}

/**
 * Aggregate models: session index (neighbours, sequential rules, co-occurrence are read from it at
 * query time), integer popularity per day, and derived EASE weights over purchases.
 *
 * Models learn only from the interactions they are given: the calling flow must pass only
 * interactions whose owners allowed the model-training purpose.
 */
export class Models {
  readonly options: Readonly<ModelOptions>;
  readonly items = new ItemTable();
  readonly sessions = new SessionStore();
  readonly popularity = new Popularity();
  private easeModel: EaseModel | null = null;
  private easeVersion = -1;
  private events = 0;
  private stateVersion = 0;
  /** Counts removals, so that a refresh prepared before one is not installed after it. */
  private removals = 0;

  constructor(options: Partial<ModelOptions> = {}) {
    this.options = { ...defaultOptions, ...options };
  }

  /** Learns interactions incrementally (real time). `remove_from_cart` events are not learned. */
  add(interactions: Iterable<Interaction>): void {
    for (const it of interactions) {
      const type = TYPE_CODE[it.type];
      if (type < 0) continue;
      const item = this.items.intern(it.item);
      this.sessions.addEvent(it.subject, it.session, { item, ts: it.ts, type, quantity: it.quantity ?? 1 });
      this.popularity.add(item, it.ts, type, 1);
      this.events++;
      this.stateVersion++;
    }
  }

  /**
   * Exact unlearning: removes every learned interaction of the subject. Afterwards the integer state
   * (and so `fingerprint()`) equals that of models built without the subject. If the subject's
   * purchases went into the EASE weights, those are dropped at once (answers fall back to
   * co-purchase counts) until `refresh()` recomputes them from the remaining data.
   */
  removeSubject(subject: string): RemovalReceipt {
    const { sessions, events } = this.sessions.removeSubject(subject, (ev) => {
      this.popularity.add(ev.item, ev.ts, ev.type, -1);
    });
    this.events -= events;
    if (events > 0) {
      this.stateVersion++;
      this.removals++;
    }
    if (this.easeModel?.subjects.has(subject)) {
      this.easeModel = null;
      this.easeVersion = -1;
    }
    return { subject, sessions, interactions: events };
  }

  /** Replaces the catalog (filters and titles apply to catalog items only). */
  setCatalog(items: Iterable<CatalogItem>): void {
    this.items.clearCatalog();
    this.upsertItems(items);
  }

  upsertItems(items: Iterable<CatalogItem>): void {
    for (const item of items) this.items.upsert(item);
    this.stateVersion++;
  }

  /** Recomputes derived weights (EASE) from the current exact state: the model-build job. */
  refresh(): void {
    this.easeModel = buildEase(this.sessions, this.items.ids, this.options);
    this.easeVersion = this.stateVersion;
  }

  /**
   * `refresh()` in two halves, so that the O(n³) solve can run in another thread: this half
   * takes the input from the current state; solve it with `easeWeights(job.input.gram,
   * job.input.n, job.input.lambda)` and hand the result to `completeRefresh`. Returns null when
   * there is nothing to solve (the refresh is then already done).
   */
  prepareRefresh(): RefreshJob | null {
    const input = prepareEase(this.sessions, this.items.ids, this.options);
    if (input === null) {
      this.easeModel = null;
      this.easeVersion = this.stateVersion;
      return null;
    }
    return { input, version: this.stateVersion, removals: this.removals };
  }

  /**
   * Installs weights solved from a prepared job. Refused (false) when a subject was removed
   * since the job was prepared: the weights would bring their influence back. Changes that only
   * added data are fine: the weights are then as stale as after any refresh.
   */
  completeRefresh(job: RefreshJob, weights: Float32Array): boolean {
    if (job.removals !== this.removals) return false;
    this.easeModel = finishEase(job.input, weights);
    this.easeVersion = job.version;
    return true;
  }

  /** Increases with every change of the exact state; derived caches key on it. */
  get version(): number {
    return this.stateVersion;
  }

  get ease(): EaseModel | null {
    return this.easeModel;
  }

  titleOf(id: string): string | undefined {
    const i = this.items.idx(id);
    return i === undefined ? undefined : this.items.title(i);
  }

  /** Hash of the canonical exact state (sessions, inverted indexes, popularity counts, catalog). */
  fingerprint(): string {
    const h = new Fnv64();
    const ids = this.items.ids;
    for (const line of this.sessions.canonicalLines(ids)) h.update(line).update('\n');
    for (const line of this.popularity.canonicalLines(ids)) h.update(line).update('\n');
    for (const line of this.items.catalogLines()) h.update(line).update('\n');
    return h.hex();
  }

  stats(): ModelStats {
    let catalogItems = 0;
    for (let i = 0; i < this.items.size; i++) if (this.items.inCatalog(i)) catalogItems++;
    return {
      items: this.items.size,
      catalogItems,
      sessions: this.sessions.sessionCount,
      subjects: this.sessions.subjectCount(),
      events: this.events,
      easeItems: this.easeModel?.n ?? 0,
      easeStale: this.easeModel === null || this.easeVersion !== this.stateVersion,
    };
  }
}

/**
 * Full rebuild, a pure function of its inputs (the server runs it as a job). Interactions are
 * learned in (time, subject, session) order so the result does not depend on input order.
 */
export function buildModels(
  catalog: CatalogItem[],
  interactions: Iterable<Interaction>,
  options: Partial<ModelOptions> = {},
): Models {
  const models = buildExactModels(catalog, interactions, options);
  models.refresh();
  return models;
}

/**
 * The exact state only (counts, sessions, indexes), without the derived EASE weights: for a
 * caller that runs the solve elsewhere with `prepareRefresh` / `completeRefresh`.
 */
export function buildExactModels(
  catalog: CatalogItem[],
  interactions: Iterable<Interaction>,
  options: Partial<ModelOptions> = {},
): Models {
  const models = new Models(options);
  models.setCatalog(catalog);
  const sorted = [...interactions].sort(
    (a, b) => a.ts - b.ts || compareIds(a.subject, b.subject) || compareIds(a.session, b.session),
  );
  models.add(sorted);
  return models;
}
