import { VitrineError } from '@vitrine/contracts';
import type { Context } from 'hono';

/** Reads a JSON body, with clear errors for a wrong content type or malformed JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new VitrineError(
      'unsupported_media_type',
      `Send the body as JSON with the header "Content-Type: application/json" (got "${type || 'none'}").`,
      { field: 'content-type' },
    );
  }
  const text = await c.req.text();
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
