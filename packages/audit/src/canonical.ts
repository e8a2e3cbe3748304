/** A JSON value as the audit log stores it: no `undefined`, no NaN, no class instances. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * The one text a JSON value hashes as: object keys sorted (by UTF-16 code units) at every
 * depth, no whitespace, strings and numbers as `JSON.stringify` writes them. For these values
 * that is the JSON Canonicalization Scheme (RFC 8785), so a verifier in another language can
 * rebuild the same bytes.
 *
 * Throws a `TypeError` naming the path of anything JSON cannot carry exactly (undefined,
 * non-finite numbers, functions, Dates, Maps …): silently dropping or converting a value would
 * make two different records hash alike.
 */
export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (e) {
    if (e instanceof NotJson) throw new TypeError(`$${e.path.reverse().join('')}: ${e.message}`);
    throw e;
  }
}

/** Carries the path up as the recursion unwinds, so the happy path builds no path strings. */
class NotJson extends Error {
  readonly path: string[] = [];
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotJson(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new NotJson(`a ${typeof value} is not JSON`);
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) {
      try {
        parts.push(write(value[i]));
      } catch (e) {
        if (e instanceof NotJson) e.path.push(`[${i}]`);
        throw e;
      }
    }
    return `[${parts.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new NotJson(`a ${proto?.constructor?.name ?? 'class'} instance is not plain JSON`);
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = obj[k];
    try {
      if (v === undefined) throw new NotJson('undefined is not JSON (leave the key out)');
      parts.push(`${JSON.stringify(k)}:${write(v)}`);
    } catch (e) {
      if (e instanceof NotJson) e.path.push(`.${k}`);
      throw e;
    }
  }
  return `{${parts.join(',')}}`;
}
