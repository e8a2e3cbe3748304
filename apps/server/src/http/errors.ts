import { ERROR_STATUS, type ErrorBody, type ErrorCode, isVitrineError } from '@vitrine/contracts';
import { isStorageError, type StorageErrorCode } from '@vitrine/storage';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';

/** Seconds a client should wait before trying again after a storage outage. */
const RETRY_AFTER_S = 5;

/**
 * What each storage failure means to a client: one closed map, so a new storage code without an
 * answer does not compile. Only an outage is worth retrying (503 with Retry-After); a duplicate
 * or a missing record conflicts with what is stored; the rest are our faults (the input was
 * validated before it reached the store), told without internals.
 */
const STORAGE_ERRORS: Record<StorageErrorCode, { code: ErrorCode; message: string; retry?: true }> = {
  unavailable: {
    code: 'unavailable',
    message: `The database is unavailable right now. Try again in ${RETRY_AFTER_S} seconds.`,
    retry: true,
  },
  duplicate: { code: 'conflict', message: 'A record with the same key already exists.' },
  not_found: { code: 'not_found', message: 'The record to change does not exist.' },
  constraint: {
    code: 'internal',
    message: 'Something went wrong on our side. Try again; if it persists, contact support.',
  },
  invalid_config: { code: 'internal', message: 'The service is misconfigured. Contact support.' },
  failed: {
    code: 'internal',
    message: 'Something went wrong on our side. Try again; if it persists, contact support.',
  },
};

/**
 * Where a request went, for the log: the route pattern (`/v1/subjects/:id/consent`), never the
 * path, which names subjects and items.
 */
export const routeOf = (c: Context): string => c.req.routePath;

export function errorResponse(c: Context, err: unknown, log: Logger): Response {
  if (isVitrineError(err)) {
    if (err.retryAfterS !== undefined) c.header('Retry-After', String(err.retryAfterS));
    // A body that was too slow or too large is left unread: the connection cannot be reused.
    if (err.code === 'request_timeout' || err.code === 'payload_too_large') c.header('Connection', 'close');
    return c.json(err.toJSON(), err.status as ContentfulStatusCode);
  }
  if (isStorageError(err)) {
    const mapped = STORAGE_ERRORS[err.code];
    log.error({ err, route: routeOf(c), method: c.req.method }, 'storage error');
    if (mapped.retry) c.header('Retry-After', String(RETRY_AFTER_S));
    const body: ErrorBody = { error: { code: mapped.code, message: mapped.message } };
    return c.json(body, ERROR_STATUS[mapped.code]);
  }
  // Unknown errors are logged with their cause and never leak internals (SQL, stacks) to the client.
  log.error({ err, route: routeOf(c), method: c.req.method }, 'unhandled error');
  const body: ErrorBody = {
    error: {
      code: 'internal',
      message: 'Something went wrong on our side. Try again; if it persists, contact support.',
    },
  };
  return c.json(body, 500);
}
