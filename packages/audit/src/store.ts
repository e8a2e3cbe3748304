import type { SignedCheckpoint } from './checkpoint';
import type { AuditEntry } from './entry';
import { AuditError } from './errors';

/**
 * Where a shop's log lives. The server implements it on SQLite and PostgreSQL; this package
 * only needs these operations, so it never depends on a database.
 *
 * What an implementation must guarantee:
 * - `append` is atomic and keeps (shop_id, seq) unique: when `entries[0].seq` is not the
 *   shop's current size it fails with `AuditError('conflict')` (a unique key does it), so two
 *   writers can never fork the log; the caller re-reads the tail and retries.
 * - Entries and checkpoints are stored exactly as handed in (the JSON of `data` may be stored
 *   as text; it is hashed canonically, so key order does not matter) and never updated.
 */
export interface AuditStore {
  append(shopId: string, entries: readonly AuditEntry[]): Promise<void>;
  /** The number of entries of the shop, which is the next seq. */
  size(shopId: string): Promise<number>;
  /** Entries with from <= seq < to, in seq order. */
  read(shopId: string, from: number, to: number): Promise<AuditEntry[]>;
  saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void>;
  /** The shop's checkpoints, smallest tree size first (then oldest first). */
  checkpoints(shopId: string): Promise<SignedCheckpoint[]>;
  latestCheckpoint(shopId: string): Promise<SignedCheckpoint | undefined>;
}

/** An in-memory store, for tests only: it forgets everything with the process. */
export class MemoryAuditStore implements AuditStore {
  readonly #entries = new Map<string, AuditEntry[]>();
  readonly #checkpoints = new Map<string, SignedCheckpoint[]>();

  async append(shopId: string, entries: readonly AuditEntry[]): Promise<void> {
    const rows = this.#rows(shopId);
    entries.forEach((e, i) => {
      if (e.shop_id !== shopId || e.seq !== rows.length + i) {
        throw new AuditError(
          'conflict',
          'seq',
          `seq ${e.seq} is not the next entry of ${shopId} (${rows.length + i})`,
        );
      }
    });
    rows.push(...entries.map((e) => structuredClone(e)));
  }

  async size(shopId: string): Promise<number> {
    return this.#rows(shopId).length;
  }

  async read(shopId: string, from: number, to: number): Promise<AuditEntry[]> {
    return this.#rows(shopId)
      .slice(Math.max(0, from), Math.max(0, to))
      .map((e) => structuredClone(e));
  }

  async saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void> {
    const list = this.#checkpoints.get(checkpoint.shopId) ?? [];
    list.push({ ...checkpoint });
    list.sort((a, b) => a.size - b.size || a.timestamp - b.timestamp);
    this.#checkpoints.set(checkpoint.shopId, list);
  }

  async checkpoints(shopId: string): Promise<SignedCheckpoint[]> {
    return (this.#checkpoints.get(shopId) ?? []).map((c) => ({ ...c }));
  }

  async latestCheckpoint(shopId: string): Promise<SignedCheckpoint | undefined> {
    const list = this.#checkpoints.get(shopId) ?? [];
    const last = list[list.length - 1];
    return last === undefined ? undefined : { ...last };
  }

  /** The live rows, so tests can tamper with them as an attacker with database access would. */
  unsafeRows(shopId: string): AuditEntry[] {
    return this.#rows(shopId);
  }

  #rows(shopId: string): AuditEntry[] {
    let rows = this.#entries.get(shopId);
    if (rows === undefined) {
      rows = [];
      this.#entries.set(shopId, rows);
    }
    return rows;
  }
}
