import type { z } from 'zod';
import { formatPath, VitrineError } from './errors';
import { issueCode } from './text';

/** Turns a zod error into a validation error that names every offending field. */
export function fromZod(error: z.ZodError, prefix = '', what = 'request'): VitrineError {
  const issues = error.issues.slice(0, 50).map((i) => ({
    field: formatPath(i.path, prefix) || prefix || '(body)',
    message: i.message,
    // Ours (`invalid_text`, `reserved_key`) where we raised it, else zod's.
    code: issueCode(i),
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

/** Parses `value` with `schema`, or throws the validation error that names every offending field. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  prefix = '',
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, prefix, what);
  return r.data;
}
