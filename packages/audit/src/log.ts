import type { KeyObject } from 'node:crypto';
import { type SignedCheckpoint, signCheckpoint } from './checkpoint';
import { type AuditEntry, type AuditEntryInput, entryHash, GENESIS_PREV, nextEntry } from './entry';
import { AuditError, isAuditError } from './errors';
import { publicKeyOf } from './keys';
import { MerkleTree } from './merkle';
import {
  buildConsistencyProof,
  buildInclusionProof,
  type ConsistencyProof,
  type InclusionProof,
} from './proof';
import type { AuditStore } from './store';
import { type VerifyResult, verifyLog } from './verify';

export interface AuditLogOptions {
  /** Signs checkpoints; without it `checkpoint()` refuses. */
  signingKey?: KeyObject;
  now?: () => number;
  /** How many times `append` re-reads the tail after another writer took the seq. */
  retries?: number;
}

interface Tail {
  tree: MerkleTree;
  last: AuditEntry | undefined;
}

/**
 * A shop's audit log over any `AuditStore`: appends chained entries, signs checkpoints and
 * answers proofs. It keeps each shop's Merkle tree in memory and extends it from the store, so
 * proofs cost O(log n); while extending, it checks every new entry links to the one before and
 * refuses (`log_damaged`) when one does not.
 */
export class AuditLog {
  readonly #store: AuditStore;
  readonly #key: KeyObject | undefined;
  readonly #now: () => number;
  readonly #retries: number;
  readonly #tails = new Map<string, Tail>();
  /** One append at a time per shop in this process; other processes are stopped by the store's unique seq. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(store: AuditStore, options: AuditLogOptions = {}) {
    this.#store = store;
    this.#key = options.signingKey;
    this.#now = options.now ?? Date.now;
    this.#retries = options.retries ?? 5;
  }

  /** Appends one entry (ts defaults to now) and returns it as stored. */
  append(shopId: string, input: Omit<AuditEntryInput, 'ts'> & { ts?: number }): Promise<AuditEntry> {
    return this.#serial(shopId, async () => {
      for (let attempt = 0; ; attempt++) {
        const tail = await this.#sync(shopId);
        const entry = nextEntry(shopId, tail.last, { ...input, ts: input.ts ?? this.#now() });
        try {
          await this.#store.append(shopId, [entry]);
        } catch (e) {
          if (isAuditError(e) && e.code === 'conflict' && attempt < this.#retries) continue;
          throw e;
        }
        tail.tree.push(entryHash(entry));
        tail.last = entry;
        return entry;
      }
    });
  }

  /**
   * Signs and stores a checkpoint of the log as it is now. When nothing was appended since the
   * latest checkpoint, that one is returned unless `force` is set.
   */
  async checkpoint(shopId: string, options: { force?: boolean } = {}): Promise<SignedCheckpoint> {
    if (this.#key === undefined) {
      throw new AuditError(
        'invalid_key',
        'signing_key',
        'no signing key configured: checkpoints cannot be signed',
      );
    }
    const key = this.#key;
    return this.#serial(shopId, async () => {
      const tail = await this.#sync(shopId);
      const latest = await this.#store.latestCheckpoint(shopId);
      // Never sign over a log that no longer matches what was signed before: that would
      // launder a rewrite into the next checkpoint.
      if (latest !== undefined && tail.tree.root(latest.size).toString('hex') !== latest.rootHash) {
        throw new AuditError(
          'log_damaged',
          'checkpoint',
          `the log of ${shopId} does not match its checkpoint of size ${latest.size}: run verify`,
        );
      }
      if (latest !== undefined && latest.size === tail.tree.size && !options.force) return latest;
      const cp = signCheckpoint(
        { shopId, size: tail.tree.size, rootHash: tail.tree.root().toString('hex'), timestamp: this.#now() },
        key,
      );
      await this.#store.saveCheckpoint(cp);
      return cp;
    });
  }

  /**
   * The inclusion proof of entry `seq` against the latest checkpoint (or the stored one of
   * `checkpointSize` entries). Throws `not_found` when no checkpoint covers the entry yet.
   */
  async prove(
    shopId: string,
    seq: number,
    options: { checkpointSize?: number } = {},
  ): Promise<InclusionProof> {
    const tail = await this.#sync(shopId);
    const cp =
      options.checkpointSize === undefined
        ? await this.#store.latestCheckpoint(shopId)
        : (await this.#store.checkpoints(shopId)).find((c) => c.size === options.checkpointSize);
    if (cp === undefined) {
      throw new AuditError('not_found', 'checkpoint', 'no signed checkpoint of that size: sign one first');
    }
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= cp.size) {
      throw new AuditError(
        'not_found',
        'seq',
        `entry ${seq} is not covered by the checkpoint of size ${cp.size}`,
      );
    }
    const [entry] = await this.#store.read(shopId, seq, seq + 1);
    if (entry === undefined) throw new AuditError('not_found', 'seq', `entry ${seq} is not in the log`);
    return buildInclusionProof(tail.tree, entry, cp);
  }

  /** The consistency proof between two stored checkpoints, given by tree size (default: latest). */
  async proveConsistency(shopId: string, fromSize: number, toSize?: number): Promise<ConsistencyProof> {
    const tail = await this.#sync(shopId);
    const all = await this.#store.checkpoints(shopId);
    const first = all.find((c) => c.size === fromSize);
    const second = toSize === undefined ? all[all.length - 1] : all.find((c) => c.size === toSize);
    if (first === undefined || second === undefined) {
      throw new AuditError('not_found', 'checkpoint', 'no signed checkpoint of that size');
    }
    return buildConsistencyProof(tail.tree, first, second);
  }

  /** Reads the whole log and its checkpoints from the store and verifies them (see `verifyLog`). */
  async verify(shopId: string, publicKey?: KeyObject | string): Promise<VerifyResult> {
    const key = publicKey ?? (this.#key ? publicKeyOf(this.#key) : undefined);
    if (key === undefined)
      throw new AuditError('invalid_key', 'public_key', 'a public key is needed to verify');
    const size = await this.#store.size(shopId);
    const entries = await this.#store.read(shopId, 0, size);
    const checkpoints = await this.#store.checkpoints(shopId);
    return verifyLog(entries, checkpoints, key, { shopId });
  }

  /** Brings the cached tree up to the store, checking the chain of every entry read. */
  async #sync(shopId: string): Promise<Tail> {
    let tail = this.#tails.get(shopId);
    if (tail === undefined) {
      tail = { tree: new MerkleTree(), last: undefined };
      this.#tails.set(shopId, tail);
    }
    const size = await this.#store.size(shopId);
    const BATCH = 10_000;
    while (tail.tree.size < size) {
      const from = tail.tree.size;
      const rows = await this.#store.read(shopId, from, Math.min(size, from + BATCH));
      if (rows.length === 0) break;
      for (const [i, e] of rows.entries()) {
        const n = tail.tree.size;
        const prev = n === 0 ? GENESIS_PREV : tail.tree.leafHash(n - 1).toString('hex');
        if (e.seq !== from + i || e.prev !== prev || e.shop_id !== shopId) {
          throw new AuditError(
            'log_damaged',
            'seq',
            `the stored log of ${shopId} is broken at entry ${from + i}: run verify to see what changed`,
          );
        }
        tail.tree.push(entryHash(e));
        tail.last = e;
      }
    }
    return tail;
  }

  #serial<T>(shopId: string, work: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(shopId) ?? Promise.resolve();
    const run = before.then(work, work);
    this.#queues.set(
      shopId,
      run.catch(() => undefined),
    );
    return run;
  }
}
