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
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${path}: a ${typeof value} is not JSON`);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => write(v, `${path}[${i}]`)).join(',')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`${path}: a ${proto?.constructor?.name ?? 'class'} instance is not plain JSON`);
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) throw new TypeError(`${path}.${k}: undefined is not JSON (leave the key out)`);
    parts.push(`${JSON.stringify(k)}:${write(v, `${path}.${k}`)}`);
  }
  return `{${parts.join(',')}}`;
}
