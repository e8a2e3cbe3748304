import { VitrineError } from '@vitrine/contracts';
import type { Rate } from '../config';

interface Bucket {
  tokens: number;
  /** Monotonic time of the last refill, ms. */
  at: number;
}

/**
 * Token buckets by name (an API key, a key and a subject): each holds up to `burst` tokens,
 * refilled at `perSecond`; a request takes one. Kept in memory per process, in the order of
 * their last use, and bounded: past `maxBuckets` the least recently used are dropped (a
 * dropped bucket starts full again, which only ever errs towards letting a request through).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  readonly #maxBuckets: number;

  constructor(opts: { now?: () => number; maxBuckets?: number } = {}) {
    this.#now = opts.now ?? (() => performance.now());
    this.#maxBuckets = opts.maxBuckets ?? 100_000;
  }

  /** Takes a token: 0 when the request may go on, else the seconds until one is there. */
  take(name: string, rate: Rate): number {
    const now = this.#now();
    const bucket = this.#buckets.get(name);
    let tokens = rate.burst;
    if (bucket !== undefined) {
      tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
      this.#buckets.delete(name);
    } else if (this.#buckets.size >= this.#maxBuckets) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (tokens < 1) {
      this.#buckets.set(name, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / rate.perSecond));
    }
    this.#buckets.set(name, { tokens: tokens - 1, at: now });
    return 0;
  }

  /** Throws 429 with `Retry-After` when the bucket is empty. */
  check(name: string, rate: Rate, who: string, field: string): void {
    const wait = this.take(name, rate);
    if (wait === 0) return;
    throw new VitrineError(
      'rate_limited',
      `Too many requests ${who} (at most ${rate.perSecond} per second, ${rate.burst} at once). Wait ${wait} s (Retry-After) and send fewer requests, e.g. events in batches; nothing was stored.`,
      { field, retryAfterS: wait },
    );
  }

  get size(): number {
    return this.#buckets.size;
  }
}
