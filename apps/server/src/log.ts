import { isVitrineError } from '@vitrine/contracts';
import { isStorageError } from '@vitrine/storage';
import type { Logger } from 'pino';

/**
 * Errors as they go into the log: what failed and where, never the data involved. A driver's
 * message or detail can quote stored values (`Key (shop_id, id)=(…, sub_…)`, `invalid input
 * syntax: "…"`), so from a storage error's cause only its type, code and constraint are kept;
 * the storage error's own message names the operation only. A client error (VitrineError)
 * keeps its code and field, not its message, which may quote the request.
 */
export function logSafeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null)) return { type: typeof err };
  const e = err as Error & { code?: unknown; field?: unknown };
  if (isStorageError(err)) {
    const cause = (err as { cause?: unknown }).cause as
      | { name?: unknown; code?: unknown; constraint?: unknown }
      | undefined;
    return {
      type: 'StorageError',
      code: err.code,
      message: err.message,
      ...(cause
        ? {
            cause: {
              type: typeof cause.name === 'string' ? cause.name : typeof cause,
              ...(typeof cause.code === 'string' ? { code: cause.code } : {}),
              ...(typeof cause.constraint === 'string' ? { constraint: cause.constraint } : {}),
            },
          }
        : {}),
    };
  }
  if (isVitrineError(err)) return { type: 'VitrineError', code: err.code, field: err.field };
  // Our own faults: type, message and stack are needed to fix them and carry code, not data.
  return {
    type: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    stack: e.stack,
  };
}

/** The service's logger: `err` fields always go through `logSafeError`, whoever logs them. */
export function serviceLogger(log: Logger): Logger {
  return log.child({}, { serializers: { err: logSafeError } });
}
