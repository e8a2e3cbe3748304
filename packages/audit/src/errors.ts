import type { ErrorCode } from '@vitrine/contracts';

/** The closed set of reasons the audit log refuses something, each with its API error code. */
export const AUDIT_ERROR_CODES = {
  /** An entry to append is not what the log stores (unknown kind, bad time, not JSON …). */
  invalid_entry: 'validation_failed',
  /** The subject is neither a pseudonymous `sub_…` id nor a hashed one (`sha256:…`). */
  invalid_subject: 'validation_failed',
  /** The entry's data looks like personal data (an e-mail address, a name field …): D5. */
  personal_data: 'validation_failed',
  /** Another writer appended first: the sequence number is taken. Read the tail again and retry. */
  conflict: 'conflict',
  /** A key that cannot be read as an Ed25519 key in any accepted format. */
  invalid_key: 'bad_request',
  /** A checkpoint text that is not a signed checkpoint of this format. */
  invalid_checkpoint: 'bad_request',
  /** Input to `verify` / `prove` that does not have the documented shape. */
  invalid_input: 'bad_request',
  /** The entry or checkpoint asked for is not in the log (yet). */
  not_found: 'not_found',
  /** The stored log disagrees with itself (e.g. an entry no longer matches its hash). */
  log_damaged: 'internal',
} as const satisfies Record<string, ErrorCode>;

export type AuditErrorCode = keyof typeof AUDIT_ERROR_CODES;

export class AuditError extends Error {
  override readonly name = 'AuditError';
  readonly code: AuditErrorCode;
  /** The offending field, e.g. `data.email`, `entries[3].seq` or `public_key`. */
  readonly field: string;

  constructor(code: AuditErrorCode, field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.field = field;
  }

  /** The error code of @vitrine/contracts to answer with. */
  get errorCode(): ErrorCode {
    return AUDIT_ERROR_CODES[this.code];
  }
}

/** Checks by name and code, not `instanceof`, so copies of the package still match. */
export function isAuditError(e: unknown): e is AuditError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'AuditError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as { code: string }).code in AUDIT_ERROR_CODES
  );
}
