import { type ErrorBody, formatPath, isVitrineError, VitrineError } from '@vitrine/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** Turns a zod error into a validation error that names every offending field. */
export function fromZod(error: z.ZodError, prefix = '', what = 'request'): VitrineError {
  const issues = error.issues.slice(0, 50).map((i) => ({
    field: formatPath(i.path, prefix) || prefix || '(body)',
    message: i.message,
    code: i.code,
  }));
  const first = issues[0];
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new VitrineError(
    'validation_failed',
    `The ${what} is invalid: ${first?.field}: ${first?.message}${more}. Fix the listed fields and send it again; nothing was stored.`,
    { field: first?.field, issues },
  );
}

export function errorResponse(c: Context, err: unknown, log: Logger): Response {
  if (isVitrineError(err)) {
    return c.json(err.toJSON(), err.status as ContentfulStatusCode);
  }
  // Unknown errors are logged with their cause and never leak internals (SQL, stacks) to the client.
  log.error({ err, path: c.req.path, method: c.req.method }, 'unhandled error');
  const body: ErrorBody = {
    error: {
      code: 'internal',
      message: 'Something went wrong on our side. Try again; if it persists, contact support.',
    },
  };
  return c.json(body, 500);
}
