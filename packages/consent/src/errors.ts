import type { ErrorCode } from '@vitrine/contracts';

/** The closed set of reasons a consent change is refused, each with its API error code. */
export const CONSENT_ERROR_CODES = {
  /** The request names another notice version than the current one: show the dialog again. */
  stale_notice: 'conflict',
  /** The notice handed in is in another language than the request names. */
  notice_language: 'bad_request',
  /** A switch the policy does not declare. */
  unknown_purpose: 'validation_failed',
  /** A purpose turned on that is neither a switch nor part of the chosen level. */
  purpose_not_in_level: 'validation_failed',
} as const satisfies Record<string, ErrorCode>;

export type ConsentErrorCode = keyof typeof CONSENT_ERROR_CODES;

export class ConsentError extends Error {
  override readonly name = 'ConsentError';
  readonly code: ConsentErrorCode;
  /** The offending request field, e.g. `notice_version` or `purposes.email_offers`. */
  readonly field: string;

  constructor(code: ConsentErrorCode, field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }

  /** The error code of @vitrine/contracts to answer with. */
  get errorCode(): ErrorCode {
    return CONSENT_ERROR_CODES[this.code];
  }
}

/** Checks by name and code, not `instanceof`, so copies of the package still match. */
export function isConsentError(e: unknown): e is ConsentError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'ConsentError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    Object.hasOwn(CONSENT_ERROR_CODES, (e as { code: string }).code)
  );
}
