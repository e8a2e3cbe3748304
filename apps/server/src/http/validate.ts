import {
  checkJsonContentType,
  DEFAULT_LANGUAGE,
  LANGUAGES,
  Language,
  parseJsonBody,
  VitrineError,
} from '@vitrine/contracts';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { readBody } from './body';

/**
 * Validation at the edge, in the manner of Hono's `validator`: each middleware reads one part
 * of the request, hands it to a parser (a contracts schema, usually through `parseWith`) and
 * stores the typed result for the handler (`c.req.valid('json')`). A parser throws the
 * `VitrineError` that names the offending field; nothing below the edge sees raw input.
 */
type Parser<T> = (value: unknown, c: Context) => T;

type Validated<Target extends 'json' | 'query', T> = MiddlewareHandler<
  Env,
  string,
  { in: { [K in Target]: unknown }; out: { [K in Target]: T } }
>;

/** The JSON body: the content type must say JSON and the text must parse. */
export function json<T>(parse: Parser<T>): Validated<'json', T> {
  return async (c, next) => {
    c.req.addValidatedData('json', parse(await readJson(c), c) as object);
    await next();
  };
}

/** The query string, repeated keys as arrays; `lang` is accepted as well as `language`. */
export function query<T>(parse: Parser<T>): Validated<'query', T> {
  return async (c, next) => {
    c.req.addValidatedData('query', parse(flattenQuery(c.req.queries()), c) as object);
    await next();
  };
}

/**
 * Reads a JSON body under the route's size and time limits: the content type must say JSON
 * (and UTF-8, if it names a charset: 415 otherwise), the bytes must be UTF-8 and parse.
 */
async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type');
  // The type is checked before the body is read: a wrong one costs no reading.
  const check = checkJsonContentType(type);
  if (!check.ok) throw check.error;
  return parseJsonBody(type, await readBody(c));
}

/** `?a=1&a=2&b=3` → `{a: ['1','2'], b: '3'}`. */
function flattenQuery(q: Record<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(q)) out[k] = v.length === 1 ? v[0]! : v;
  // `lang` is accepted as well as `language`, as on the document routes.
  if (out.language === undefined && out.lang !== undefined) out.language = out.lang;
  delete out.lang;
  return out;
}

/** The `language` (or `lang`) query parameter: one of the customer-facing languages, German by default. */
export function languageOf(value: unknown): Language {
  const r = Language.safeParse((Array.isArray(value) ? value[0] : value) ?? DEFAULT_LANGUAGE);
  if (!r.success)
    throw new VitrineError(
      'validation_failed',
      `lang must be ${LANGUAGES.map((l) => `"${l}"`).join(' or ')}.`,
      {
        field: 'lang',
      },
    );
  return r.data;
}
