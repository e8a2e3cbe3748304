import { VitrineError } from './errors';

/** `application/json` or a structured `+json` type such as `application/merge-patch+json`. */
const JSON_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/i;

/** Labels of UTF-8 a client may declare; JSON has no other encoding (RFC 8259 §8.1). */
const UTF8 = new Set(['utf-8', 'utf8']);

export type ContentTypeCheck = { readonly ok: true } | { readonly ok: false; readonly error: VitrineError };

const unsupported = (message: string): ContentTypeCheck => ({
  ok: false,
  error: new VitrineError('unsupported_media_type', message, { field: 'content-type' }),
});

/**
 * Checks the `Content-Type` of a JSON request body: a JSON media type, and if a charset is
 * declared, UTF-8. Another charset is refused (415) rather than decoded as UTF-8: a body sent
 * as latin1 would otherwise be stored corrupted. Pure: the server calls it at its edge.
 */
export function checkJsonContentType(header: string | null | undefined): ContentTypeCheck {
  const value = (header ?? '').trim();
  const [mediaType = '', ...params] = value.split(';');
  if (!JSON_TYPE.test(mediaType.trim())) {
    return unsupported(
      `Send the body as JSON with the header "Content-Type: application/json" (got "${value || 'none'}"); nothing was stored.`,
    );
  }
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (!UTF8.has(charset.toLowerCase())) {
      return unsupported(
        `The body is declared as charset=${charset}, but JSON bodies must be UTF-8. Encode the body as UTF-8 and send "Content-Type: application/json" (or "application/json; charset=utf-8"); nothing was stored.`,
      );
    }
  }
  return { ok: true };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON request body from its `Content-Type` header and raw bytes: checks the header, decodes
 * strictly as UTF-8 (a malformed byte sequence is refused, never replaced by U+FFFD) and
 * parses. Throws a VitrineError with a stable code: `unsupported_media_type` (415) or
 * `invalid_json` (400).
 */
export function parseJsonBody(contentType: string | null | undefined, body: Uint8Array): unknown {
  const check = checkJsonContentType(contentType);
  if (!check.ok) throw check.error;
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new VitrineError(
      'invalid_json',
      'The body is not valid UTF-8. JSON bodies must be UTF-8: encode the body as UTF-8 and send it again; nothing was stored.',
      { field: '(body)' },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new VitrineError(
      'invalid_json',
      `The body is not valid JSON (${(e as Error).message}). Check quoting and commas; nothing was stored.`,
      { field: '(body)' },
    );
  }
}
