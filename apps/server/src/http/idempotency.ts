import { VitrineError } from '@vitrine/contracts';
import type { IdempotencyRow } from '@vitrine/storage';
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps';
import { hashParts, idempotencyScope } from '../idempotency-scope';
import { routeOf } from './errors';
import type { ShopEnv, SubjectEnv } from './shop-scope';

/** How long an answer is kept for replays (Stripe keeps keys 24 h as well). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;

/** Printable ASCII without spaces, 1 to 255 characters: a UUID, a hash, an order number. */
const KEY = /^[\x21-\x7e]{1,255}$/;

declare module 'hono' {
  interface ContextVariableMap {
    /**
     * Set when the request carries an `Idempotency-Key`: a seed unique to the key, its caller
     * and this exact request, from which the route derives the ids it stores, so that running
     * the same request again (after a crash, or from another process) stores nothing twice.
     */
    idempotencySeed: string;
  }
}

/**
 * `Idempotency-Key` on write routes, with Stripe's semantics: the same key with the same
 * request (method, path, query and body, byte for byte) replays the first answer without doing
 * anything again (`Idempotent-Replayed: true`); the same key with another request is refused
 * with 409 `idempotency_conflict`. Only successful answers are kept (24 h); a refused or failed
 * request may be sent again under the same key. Keys belong to their caller: the shop's server
 * (secret key) or one subject (public key), so no one can replay another's answer.
 *
 * Concurrent requests with one key wait for each other in this process; across processes, the
 * ids seeded from the key make the second run store nothing new, and the answer stored first
 * wins. Place it after validation: an invalid body is refused before any key is looked at.
 */
export function idempotency(deps: Deps): MiddlewareHandler<ShopEnv | SubjectEnv> {
  const running = new Map<string, Promise<void>>();
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!KEY.test(key)) {
      throw new VitrineError(
        'validation_failed',
        'The Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces, e.g. a UUID. Nothing was stored.',
        { field: 'idempotency-key' },
      );
    }
    const shopId = c.var.shop.shop.id;
    const bound = (c.var as Partial<SubjectEnv['Variables']>).access?.bound;
    // The subject is kept as a hash only: the table holds no subject ids.
    const scope = idempotencyScope(shopId, {
      kind: c.var.caller.kind,
      ...(bound === undefined ? {} : { subject: bound }),
    });
    const url = new URL(c.req.url);
    const fingerprint = hashParts(
      c.req.method,
      url.pathname,
      url.search,
      c.get('bodyBytes') ?? new Uint8Array(),
    );

    const lock = `${shopId}\u0000${scope}\u0000${key}`;
    for (let other = running.get(lock); other !== undefined; other = running.get(lock)) await other;
    let release = () => {};
    running.set(
      lock,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    try {
      const stored = await deps.store.idempotency.get(shopId, scope, key, deps.clock.now());
      if (stored !== undefined) return replay(stored, fingerprint);
      c.set('idempotencySeed', hashParts(shopId, scope, key, fingerprint));
      await next();
      if (c.error !== undefined || c.res.status < 200 || c.res.status > 299) return;
      const now = deps.clock.now();
      const row: IdempotencyRow = {
        shopId,
        scope,
        key,
        fingerprint,
        status: c.res.status,
        response: await c.res.clone().text(),
        createdAt: now,
        expiresAt: now + IDEMPOTENCY_TTL_MS,
      };
      const first = await deps.store.idempotency.put(row).catch((err: unknown) => {
        // The work is done and the answer is true; a retry would run again with the same
        // seeded ids and store nothing twice.
        deps.log.warn({ err, route: routeOf(c) }, 'idempotency answer not stored');
        return true;
      });
      if (!first) {
        // Another process ran the same request at the same time and stored its answer first:
        // with the same seeded ids this run stored nothing new, and both callers get that
        // answer. (Had its request been a different one, this run's answer stays: it is true.)
        const winner = await deps.store.idempotency.get(shopId, scope, key, now);
        if (winner !== undefined && winner.fingerprint === fingerprint) c.res = replay(winner, fingerprint);
      }
    } finally {
      running.delete(lock);
      release();
    }
  };
}

function replay(stored: IdempotencyRow, fingerprint: string): Response {
  if (stored.fingerprint !== fingerprint) {
    throw new VitrineError(
      'idempotency_conflict',
      'This Idempotency-Key was already used with a different request (method, path, query or body) in the last 24 hours. Use a new key for a new request; nothing was stored.',
      { field: 'idempotency-key' },
    );
  }
  return new Response(stored.response, {
    status: stored.status,
    headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
  });
}
