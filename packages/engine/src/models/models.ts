import { defaultOptions, type ModelOptions } from '../options';
import { boardFor } from '../score/board';
import type { CatalogItem, Interaction } from '../types';
import {
  buildDerived,
  CycleCache,
  collectDerivedInput,
  type DerivedData,
  type DerivedInput,
  DerivedModel,
  EASE,
  type ItemCycle,
} from './derived';
import { Fnv64, MultisetDigest } from './fingerprint';
import { calibrateFusion, type Fusion, fusionSteps } from './fusion';
import { ItemTable } from './items';
import { compareIds, Popularity } from './popularity';
import { PURCHASE, SessionStore, TYPE_CODE } from './sessions';
import { runInSlices, runNow, Slicer, type Steps, sortSteps } from './slices';

export interface ModelStats {
  items: number;
  catalogItems: number;
  sessions: number;
  subjects: number;
  events: number;
  /** items with a row in the derived item-item model */
  derivedItems: number;
  /** true when the derived weights are missing, partly dropped or older than the last change; run `refresh()` */
  derivedStale: boolean;
}

/** A prepared refresh: the input of the derived-model build and the state it was taken from. */
export interface RefreshJob {
  readonly input: DerivedInput;
  readonly subjects: Set<string>;
  /** the session part's mixture fitted on the same state (installed with the derived model) */
  readonly fusion: Fusion | null;
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
  /** Their purchases are in the derived item-item weights. */
  inDerivedWeights: boolean;
}

/** The text an interaction is digested as: session key, item, time, type code and quantity. */
const eventText = (key: string, item: string, ts: number, type: number, quantity: number): string =>
  `${key}\u0000${item}\u0000${ts}\u0000${type}\u0000${quantity}`;

/**
 * Aggregate models: session index (neighbours, sequential rules, co-occurrence are read from it at
 * query time), integer popularity per day, and a derived item-item model over purchases
 * (neighbour rows and repurchase cycles, see `buildDerived`).
 *
 * Models learn only from the interactions they are given: the calling flow must pass only
 * interactions whose owners allowed the model-training purpose.
 */
export class Models {
  readonly options: Readonly<ModelOptions>;
  readonly items = new ItemTable();
  readonly sessions = new SessionStore((item) => this.items.ids[item]!);
  readonly popularity = new Popularity();
  private derivedModel: DerivedModel | null = null;
  private fusionModel: Fusion | null = null;
  private derivedVersion = -1;
  private readonly cycles = new CycleCache();
  /** per item: the state version at which its purchases last changed */
  private purchaseStamp = new Float64Array(1024);
  /** memo of the popularity penalty pop^-β per item, valid while the item's purchase count is `penaltyAt` */
  private penaltyVal = new Float64Array(0);
  private penaltyAt = new Int32Array(0);
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
      if (type === PURCHASE) this.purchasesChanged(item);
    }
  }

  private purchasesChanged(item: number): void {
    if (item >= this.purchaseStamp.length) {
      const grown = new Float64Array(Math.max(item + 1, this.purchaseStamp.length * 2));
      grown.set(this.purchaseStamp);
      this.purchaseStamp = grown;
    }
    this.purchaseStamp[item] = this.stateVersion;
    this.cycles.invalidate(item);
  }

  /**
   * Takes a subject out of the derived weights before their purchases are unlearned: a sparse
   * model drops the rows of every item they bought (only those rows depend on them); an EASE
   * model depends on every buyer and is dropped whole.
   */
  private unlearnDerived(subject: string, alsoItem = -1): void {
    const d = this.derivedModel;
    if (d === null || !d.subjects.has(subject)) return;
    if (d.kind === EASE) {
      this.derivedModel = null;
      this.derivedVersion = -1;
      return;
    }
    const items = this.sessions.purchasedBy(subject);
    if (alsoItem >= 0) items.add(alsoItem);
    d.dropRows(items);
    d.subjects.delete(subject);
  }

  /**
   * Exact unlearning: removes every learned interaction of the subject. Afterwards the integer state
   * (and so `fingerprint()`) equals that of models built without the subject. If the subject's
   * purchases went into the derived weights, every weight that depends on them is dropped at once
   * (those items fall back to co-purchase counts) until `refresh()` recomputes them.
   */
  removeSubject(subject: string): RemovalReceipt {
    const ids = this.items.ids;
    this.unlearnDerived(subject);
    const bought: number[] = [];
    const { sessions, events } = this.sessions.removeSubject(subject, (ev, key) => {
      this.popularity.add(ev.item, ev.ts, ev.type, -1);
      this.learned.add(eventText(key, ids[ev.item]!, ev.ts, ev.type, ev.quantity), -1);
      if (ev.type === PURCHASE) bought.push(ev.item);
    });
    this.events -= events;
    if (events > 0) {
      this.stateVersion++;
      this.removals++;
      this.fusionModel = null;
    }
    for (const item of bought) this.purchasesChanged(item);
    return { subject, sessions, interactions: events };
  }

  /**
   * Exact unlearning of single interactions (retention, a corrected event): each one learned is
   * taken out, and the state ends as if it had never been added. Interactions the models never
   * learned (a subject who did not allow shared models, a type that is not learned) are skipped.
   * Returns how many were removed. A removed purchase of a subject in the derived weights drops
   * the weights that depend on that subject, as `removeSubject` does.
   */
  removeInteractions(interactions: Iterable<Interaction>): number {
    let removed = 0;
    for (const it of interactions) {
      const type = TYPE_CODE[it.type];
      if (type < 0) continue;
      const item = this.items.idx(it.item);
      if (item === undefined) continue;
      const quantity = it.quantity ?? 1;
      const ev = { item, ts: it.ts, type, quantity };
      if (type === PURCHASE) {
        // Before the removal, while the subject's purchases still name every affected row.
        if (!this.sessions.hasEvent(it.subject, it.session, ev)) continue;
        this.unlearnDerived(it.subject, item);
      }
      if (!this.sessions.removeEvent(it.subject, it.session, ev)) continue;
      this.popularity.add(item, it.ts, type, -1);
      this.learned.add(eventText(`${it.subject}\u0000${it.session}`, it.item, it.ts, type, quantity), -1);
      this.events--;
      removed++;
      if (type === PURCHASE) this.purchasesChanged(item);
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
      inDerivedWeights: this.derivedModel?.subjects.has(subject) ?? false,
    };
  }

  /**
   * Whether the subject's id appears anywhere in the models: the session index (subject map,
   * slots, keys) or the derived weights' subject set. False after `removeSubject` (R4).
   */
  holdsSubject(subject: string): boolean {
    return this.sessions.mentions(subject) || (this.derivedModel?.subjects.has(subject) ?? false);
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

  /**
   * Recomputes the derived model (and the session part's mixture) from the current exact state,
   * in one go: the model-build job.
   */
  refresh(): void {
    const job = this.prepareRefresh();
    this.completeRefresh(job, buildDerived(job.input));
  }

  /**
   * Learns the session part's repeat/explore mixture from the current exact state (derived data
   * like the item-item weights: dropped by any removal, learned again by the next refresh).
   */
  calibrate(): void {
    this.fusionModel = calibrateFusion(this, boardFor(this));
  }

  /**
   * `refresh()` in two halves, so that the build can run in another thread: this half reads its
   * input from the current state; build it with `buildDerived(job.input)` and hand the result to
   * `completeRefresh`.
   */
  prepareRefresh(): RefreshJob {
    return runNow(this.prepareSteps(Slicer.never));
  }

  /**
   * `prepareRefresh` read in slices between requests (`pause` lets them run). Changes made
   * meanwhile that only add data leave the job as stale as any; a removal meanwhile makes
   * `completeRefresh` refuse it.
   */
  prepareRefreshInSlices(slicer: Slicer, pause: () => Promise<void>): Promise<RefreshJob> {
    return runInSlices(this.prepareSteps(slicer), slicer, pause);
  }

  private *prepareSteps(slicer: Slicer): Steps<RefreshJob> {
    const version = this.stateVersion;
    const removals = this.removals;
    const { input, subjects } = yield* collectDerivedInput(
      this.sessions,
      this.items.ids,
      this.options,
      slicer,
    );
    // The session part's repeat/explore mixture, fitted on this thread between slices.
    const fusion = yield* fusionSteps(this, boardFor(this), () => slicer.due());
    return { input, subjects, fusion, version, removals };
  }

  /**
   * Installs a derived model (and the mixture fitted with it) from a prepared job. Refused
   * (false) when a subject or an interaction was removed since the job was prepared: the weights
   * would bring their influence back. Changes that only added data are fine: the weights are then as stale as after any
   * refresh (the cycles of items bought since are read from the exact state).
   */
  completeRefresh(job: RefreshJob, data: DerivedData): boolean {
    if (job.removals !== this.removals) return false;
    this.derivedModel = new DerivedModel(data, job.subjects);
    this.fusionModel = job.fusion;
    this.derivedVersion = job.version;
    this.cycles.install(data, (item) => (this.purchaseStamp[item] ?? 0) <= job.version);
    return true;
  }

  /** Increases with every change of the exact state; derived caches key on it. */
  get version(): number {
    return this.stateVersion;
  }

  /** The derived item-item model, or null before the first refresh (or after an EASE model was dropped). */
  get derived(): DerivedModel | null {
    return this.derivedModel;
  }

  /** Repurchase statistics of an item over all its buyers, as of the current state. */
  itemCycle(item: number): ItemCycle {
    return this.cycles.get(this.sessions, item);
  }

  /**
   * The popularity penalty pop(j)^-β of a neighbour candidate, from the exact state (pop = the
   * sessions in which it was bought); 0 when nobody bought it.
   */
  popularityPenalty(item: number): number {
    const pop = this.sessions.purchases[item]?.length ?? 0;
    if (pop === 0) return 0;
    if (item >= this.penaltyAt.length) {
      const n = Math.max(item + 1, this.items.size, 1024);
      const at = new Int32Array(n).fill(-1);
      at.set(this.penaltyAt);
      const val = new Float64Array(n);
      val.set(this.penaltyVal);
      this.penaltyAt = at;
      this.penaltyVal = val;
    }
    if (this.penaltyAt[item] !== pop) {
      this.penaltyAt[item] = pop;
      this.penaltyVal[item] = pop ** -this.options.cfBeta;
    }
    return this.penaltyVal[item]!;
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
    const d = this.derivedModel;
    return {
      items: this.items.size,
      catalogItems: this.items.catalogSize,
      sessions: this.sessions.sessionCount,
      subjects: this.sessions.subjectCount(),
      events: this.events,
      derivedItems: d === null ? 0 : d.data.rows - d.droppedRows,
      derivedStale: d === null || d.droppedRows > 0 || this.derivedVersion !== this.stateVersion,
    };
  }
}

const byTimeSubjectSession = (a: Interaction, b: Interaction) =>
  a.ts - b.ts || compareIds(a.subject, b.subject) || compareIds(a.session, b.session);

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
 * The exact state only (counts, sessions, indexes), without the derived model: for a caller
 * that builds it elsewhere with `prepareRefresh` / `completeRefresh`.
 */
export function buildExactModels(
  catalog: CatalogItem[],
  interactions: Iterable<Interaction>,
  options: Partial<ModelOptions> = {},
): Models {
  const models = new Models(options);
  models.setCatalog(catalog);
  const sorted = [...interactions].sort(byTimeSubjectSession);
  runNow(expectSteps(models, sorted, Slicer.never));
  models.add(sorted);
  models.sessions.expect(null);
  runNow(compactSteps(models, Slicer.never));
  return models;
}

/**
 * `buildExactModels` in slices: the catalog, the sort and the learning yield to `pause` whenever
 * `slicer` says the slice is used up, so that a server keeps answering requests meanwhile. The
 * result equals `buildExactModels` of the same input. `interactions` is consumed: it is empty afterwards.
 */
export function buildExactModelsInSlices(
  catalog: readonly CatalogItem[],
  interactions: Interaction[],
  options: Partial<ModelOptions>,
  slicer: Slicer,
  pause: () => Promise<void>,
): Promise<Models> {
  return runInSlices(exactSteps(catalog, interactions, options, slicer), slicer, pause);
}

/**
 * Before a bulk build: the number of events of each session, so that the session arena is
 * allocated once and every session placed once (see `SessionStore.expect`).
 */
function* expectSteps(models: Models, sorted: readonly Interaction[], slicer: Slicer): Steps<void> {
  const sizes = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const it = sorted[i]!;
    if (TYPE_CODE[it.type] < 0) continue;
    const key = `${it.subject}\u0000${it.session}`;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
    total++;
    if ((i & 1023) === 0 && slicer.due()) yield;
  }
  models.sessions.expect(sizes, total);
}

/** After a bulk build: the session arena packed and every index list copied at its exact size (less memory). */
function* compactSteps(models: Models, slicer: Slicer): Steps<void> {
  const store = models.sessions;
  yield* store.compactSteps(() => slicer.due());
  for (let item = 0; item < models.items.size; item++) {
    store.compactItem(item);
    if ((item & 255) === 0 && slicer.due()) yield;
  }
}

function* exactSteps(
  catalog: readonly CatalogItem[],
  interactions: Interaction[],
  options: Partial<ModelOptions>,
  slicer: Slicer,
): Steps<Models> {
  const models = new Models(options);
  models.setCatalog([]);
  for (let i = 0; i < catalog.length; i += 256) {
    models.upsertItems(catalog.slice(i, i + 256));
    if (slicer.due()) yield;
  }
  const sorted: (Interaction | undefined)[] = yield* sortSteps(interactions, byTimeSubjectSession, slicer);
  // The input is consumed as it is learned: what is learned is let go of (a large build holds
  // only one copy of each interaction at a time).
  if (sorted !== interactions) interactions.length = 0;
  yield* expectSteps(models, sorted as Interaction[], slicer);
  for (let i = 0; i < sorted.length; i += 64) {
    models.add(sorted.slice(i, i + 64) as Interaction[]);
    sorted.fill(undefined, i, i + 64);
    if (slicer.due()) yield;
  }
  sorted.length = 0;
  models.sessions.expect(null);
  yield* compactSteps(models, slicer);
  return models;
}
