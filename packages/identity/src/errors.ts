import type { ErrorCode } from '@vitrine/contracts';

/** The closed set of reasons the identity store refuses something, each with its API error code. */
export const IDENTITY_ERROR_CODES = {
  /** No master key configured: the identity store cannot run (refuse to start in production). */
  master_key_missing: 'unavailable',
  /** The configured master key is not 32 bytes in hex or base64, or is a placeholder. */
  master_key_invalid: 'internal',
  /** A subject key was wrapped by a master key that is not configured (any more). */
  unknown_master_key: 'internal',
  /** Stored bytes of a version or type this code does not read. */
  unsupported_format: 'internal',
  /** Decryption failed authentication: the bytes, nonce or binding (shop, subject, field) changed. */
  tampered: 'internal',
  /** An identity field that does not exist, or a value that is not allowed. */
  invalid_field: 'validation_failed',
} as const satisfies Record<string, ErrorCode>;

export type IdentityErrorCode = keyof typeof IDENTITY_ERROR_CODES;

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  readonly code: IdentityErrorCode;
  /** The offending field or setting, e.g. `email` or `VITRINE_MASTER_KEY`. */
  readonly field: string;

  constructor(code: IdentityErrorCode, field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.field = field;
  }

  /** The error code of @vitrine/contracts to answer with. */
  get errorCode(): ErrorCode {
    return IDENTITY_ERROR_CODES[this.code];
  }
}

/** Checks by name and code, not `instanceof`, so copies of the package still match. */
export function isIdentityError(e: unknown): e is IdentityError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'IdentityError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as { code: string }).code in IDENTITY_ERROR_CODES
  );
}
