/**
 * One error type with a closed set of codes. The HTTP status of each code lives in one
 * exhaustive map, so a new code without a status does not compile.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unknown_event_type: 400,
  unknown_category: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  /** The same Idempotency-Key was used with a different request. */
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** One shop cannot be served (its stored policy does not load); every other shop is served. */
  shop_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** JSON path of the offending field, e.g. `events[3].item_id`. */
  field: string;
  message: string;
  code?: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field?: string;
    issues?: FieldIssue[];
  };
}

export class VitrineError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly issues: FieldIssue[] | undefined;
  /** Seconds after which trying again makes sense (sent as `Retry-After`); for 408, 429 and 503. */
  readonly retryAfterS: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { field?: string; issues?: FieldIssue[]; cause?: unknown; retryAfterS?: number } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'VitrineError';
    this.code = code;
    this.field = opts.field;
    this.issues = opts.issues;
    this.retryAfterS = opts.retryAfterS;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.field !== undefined) error.field = this.field;
    if (this.issues !== undefined) error.issues = this.issues;
    return { error };
  }
}

/** Checks by code, not `instanceof`, so copies of the package still match. */
export function isVitrineError(e: unknown): e is VitrineError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'VitrineError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    Object.hasOwn(ERROR_STATUS, (e as { code: string }).code)
  );
}

/** Formats a zod-style issue path as `events[3].lines[0].item_id`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}
