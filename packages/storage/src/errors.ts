/**
 * Storage failures carry a closed set of codes for the caller to map; messages name the
 * operation and the reason in plain words, never SQL. The driver error is kept as `cause`.
 */
export type StorageErrorCode =
  | 'duplicate'
  | 'constraint'
  | 'not_found'
  | 'unavailable'
  | 'invalid_config'
  | 'failed';

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'StorageError';
    this.code = code;
  }
}

/** Checks by name and code, not `instanceof`, so copies of the package still match. */
export function isStorageError(e: unknown): e is StorageError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'StorageError' &&
    typeof (e as { code?: unknown }).code === 'string'
  );
}

/** What went wrong, as each dialect recognises it from its driver's error. */
export type FailureKind =
  | 'duplicate'
  | 'missing_value'
  | 'invalid_value'
  | 'missing_reference'
  | 'unavailable'
  | 'unknown';

const FAILURES: Record<FailureKind, { code: StorageErrorCode; reason: string }> = {
  duplicate: { code: 'duplicate', reason: 'a record with the same key already exists' },
  missing_value: { code: 'constraint', reason: 'a required value is missing' },
  invalid_value: { code: 'constraint', reason: 'a value is not allowed' },
  missing_reference: { code: 'constraint', reason: 'it refers to a record that does not exist' },
  unavailable: { code: 'unavailable', reason: 'the database is unavailable' },
  unknown: { code: 'failed', reason: 'unexpected database error' },
};

export function storageFailure(action: string, kind: FailureKind, cause: unknown): StorageError {
  const { code, reason } = FAILURES[kind];
  return new StorageError(code, `Could not ${action}: ${reason}.`, { cause });
}
