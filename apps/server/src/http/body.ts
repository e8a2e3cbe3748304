import { VitrineError } from '@vitrine/contracts';
import type { MiddlewareHandler } from 'hono';
import type { Limits } from '../config';

/** How a route's request body may be read: at most `maxBytes`, within `timeoutMs`. */
export interface BodyRules {
  maxBytes: number;
  timeoutMs: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set at the edge for every request; `readBody` follows it. */
    bodyRules: BodyRules;
    /** The body as read, kept for the idempotency fingerprint. */
    bodyBytes: Uint8Array;
  }
}

/** Which body limit a path falls under: events and items are bulk routes, consent is small. */
export function bodyLimitFor(path: string, body: Limits['body']): number {
  if (path === '/v1/events') return body.events;
  if (path === '/v1/items') return body.items;
  if (/^\/v1\/subjects\/[^/]+\/consent$/.test(path)) return body.consent;
  return body.other;
}

const tooLarge = (maxBytes: number) =>
  new VitrineError(
    'payload_too_large',
    `The body is larger than ${formatBytes(maxBytes)}, the limit of this route; send it in smaller batches. Nothing was stored.`,
    { field: '(body)' },
  );

/**
 * The edge's rule for bodies: fixes the limits of the route and refuses a declared
 * `Content-Length` over the limit at once, before the key is checked or a byte is read.
 */
export function bodyRules(limits: Limits): MiddlewareHandler {
  return async (c, next) => {
    const maxBytes = bodyLimitFor(c.req.path, limits.body);
    c.set('bodyRules', { maxBytes, timeoutMs: limits.bodyTimeoutMs });
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes);
    await next();
  };
}

/**
 * Reads the request body under the route's rules. Too many bytes (also without a declared
 * length) answer 413; a client that sends too slowly is answered 408 when the time is up,
 * instead of holding the connection for as long as it likes. Either answer closes the
 * connection, so the rest of the body is not waited for.
 */
export async function readBody(c: {
  req: { raw: Request };
  get(key: 'bodyRules'): BodyRules | undefined;
  set(key: 'bodyBytes', value: Uint8Array): void;
}): Promise<Uint8Array> {
  const rules = c.get('bodyRules') ?? { maxBytes: 256 * 1024, timeoutMs: 10_000 };
  const stream = c.req.raw.body;
  if (stream === null) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new VitrineError(
            'request_timeout',
            `The body did not arrive within ${rules.timeoutMs / 1000} s. Send the whole request at once and try again; nothing was stored.`,
            { field: '(body)', retryAfterS: 1 },
          ),
        ),
      rules.timeoutMs,
    );
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) break;
      size += value.byteLength;
      if (size > rules.maxBytes) throw tooLarge(rules.maxBytes);
      chunks.push(value);
    }
  } finally {
    // On 408 or 413 the rest stays unread: the answer closes the connection.
    clearTimeout(timer);
  }
  const bytes = concat(chunks, size);
  c.set('bodyBytes', bytes);
  return bytes;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0
    ? `${n / (1024 * 1024)} MiB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KiB`
      : `${n} bytes`;
}
