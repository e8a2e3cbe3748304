import { defaultOptions, type ModelOptions } from '../options';
import { boardFor } from '../score/board';
import type { CatalogItem, Interaction } from '../types';
import { Fnv64, MultisetDigest } from './fingerprint';
import { calibrateFusion, type Fusion } from './fusion';
import { buildEase, type EaseInput, type EaseModel, finishEase, prepareEase } from './history';
import { ItemTable } from './items';
import { compareIds, Popularity } from './popularity';
import { PURCHASE, SessionStore, TYPE_CODE } from './sessions';

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

/** What one subject contributes to the shared models (R2: the export lists it). */
export interface Contribution {
  sessions: number;
  interactions: number;
  /** Their purchases are in the derived EASE weights. */
  inDerivedWeights: boolean;
}

/** The text an interaction is digested as: session key, item, time, type code and quantity. */
const eventText = (key: string, item: string, ts: number, type: number, quantity: number): string =>
  `${key}\u0000${item}\u0000${ts}\u0000${type}\u0000${quantity}`;

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
  readonly sessions = new SessionStore((item) => this.items.ids[item]!);
  readonly popularity = new Popularity();
  private easeModel: EaseModel | null = null;
  private fusionModel: Fusion | null = null;
  private easeVersion = -1;
  private events = 0;
  private stateVersion = 0;
  /** Counts removals, so that a refresh prepared before one is not installed after it. */
  private removals = 0;
  /** The multiset of learned interactions, kept up to date on every add and removal. */
  private readonly learned = new MultisetDigest();

  constructor(options: Partial<ModelOptions> = {}) {
    this.options = { ...defaultOptions, ...options };
  }

  /** Learns interactions incrementally (real time). `remove_from_cart` events are not learned. */
  add(interactions: Iterable<Interaction>): void {
    for (const it of interactions) {
      const type = TYPE_CODE[it.type];
      if (type < 0) continue;
      const item = this.items.intern(it.item);
      const quantity = it.quantity ?? 1;
      this.sessions.addEvent(it.subject, it.session, { item, ts: it.ts, type, quantity });
      this.popularity.add(item, it.ts, type, 1);
      this.learned.add(eventText(`${it.subject}\u0000${it.session}`, it.item, it.ts, type, quantity), 1);
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
    const ids = this.items.ids;
    const { sessions, events } = this.sessions.removeSubject(subject, (ev, key) => {
      this.popularity.add(ev.item, ev.ts, ev.type, -1);
      this.learned.add(eventText(key, ids[ev.item]!, ev.ts, ev.type, ev.quantity), -1);
    });
    this.events -= events;
    if (events > 0) {
      this.stateVersion++;
      this.removals++;
      this.fusionModel = null;
    }
    if (this.easeModel?.subjects.has(subject)) {
      this.easeModel = null;
      this.easeVersion = -1;
    }
    return { subject, sessions, interactions: events };
  }

  /**
   * Exact unlearning of single interactions (retention, a corrected event): each one learned is
   * taken out, and the state ends as if it had never been added. Interactions the models never
   * learned (a subject who did not allow shared models, a type that is not learned) are skipped.
   * Returns how many were removed. A removed purchase of a subject in the EASE weights drops
   * them, as `removeSubject` does.
   */
  removeInteractions(interactions: Iterable<Interaction>): number {
    let removed = 0;
    for (const it of interactions) {
      const type = TYPE_CODE[it.type];
      if (type < 0) continue;
      const item = this.items.idx(it.item);
      if (item === undefined) continue;
      const quantity = it.quantity ?? 1;
      if (!this.sessions.removeEvent(it.subject, it.session, { item, ts: it.ts, type, quantity })) continue;
      this.popularity.add(item, it.ts, type, -1);
      this.learned.add(eventText(`${it.subject}\u0000${it.session}`, it.item, it.ts, type, quantity), -1);
      this.events--;
      removed++;
      if (type === PURCHASE && this.easeModel?.subjects.has(it.subject)) {
        this.easeModel = null;
        this.easeVersion = -1;
      }
    }
    if (removed > 0) {
      this.stateVersion++;
      this.removals++;
      this.fusionModel = null;
    }
    return removed;
  }

  /** What the subject contributes to the models now. */
  contribution(subject: string): Contribution {
    const { sessions, events } = this.sessions.subjectShare(subject);
    return {
      sessions,
      interactions: events,
      inDerivedWeights: this.easeModel?.subjects.has(subject) ?? false,
    };
  }

  /**
   * Whether the subject's id appears anywhere in the models: the session index (subject map,
   * slots, keys) or the derived weights' subject set. False after `removeSubject` (R4).
   */
  holdsSubject(subject: string): boolean {
    return this.sessions.mentions(subject) || (this.easeModel?.subjects.has(subject) ?? false);
  }

  /**
   * A 64-bit digest of the multiset of learned interactions, kept up to date in O(1) per event:
   * models that learned the same interactions, in any order, have the same digest. Cheap enough
   * for every erasure receipt; `fingerprint()` hashes the whole derived state instead.
   */
  digest(): string {
    return this.learned.hex();
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
    this.calibrate();
  }

  /**
   * Learns the session part's repeat/explore mixture from the current exact state (derived data
   * like the EASE weights: dropped by any removal, learned again by the next refresh).
   */
  calibrate(): void {
    this.fusionModel = calibrateFusion(this, boardFor(this));
  }

  /**
   * `refresh()` in two halves, so that the O(n³) solve can run in another thread: this half
   * takes the input from the current state; solve it with `easeWeights(job.input.gram,
   * job.input.n, job.input.lambda)` and hand the result to `completeRefresh`. Returns null when
   * there is nothing to solve (the refresh is then already done).
   */
  prepareRefresh(): RefreshJob | null {
    this.calibrate();
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

  /** The calibrated repeat/explore mixture of the session part, or null (fixed blend). */
  get fusion(): Fusion | null {
    return this.fusionModel;
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
