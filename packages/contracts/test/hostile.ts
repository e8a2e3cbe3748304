import fc from 'fast-check';

/** Every name a plain object inherits, and `__proto__` (which JSON.parse makes an own key). */
export const HOSTILE_NAMES: readonly string[] = [
  ...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']),
];

export const hostileName = fc.constantFrom(...HOSTILE_NAMES);

export type Path = (string | number)[];

/** Paths of every plain object in a JSON value (the root is `[]`), array elements included. */
export function objectPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  return [path, ...Object.keys(obj).flatMap((k) => objectPaths(obj[k], [...path, k]))];
}

export function at(value: unknown, path: Path): unknown {
  let cur = value;
  for (const p of path) cur = (cur as Record<string | number, unknown>)[p];
  return cur;
}

/** Sets an own key, even `__proto__`, as JSON.parse would. */
export function setOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of `base` (a JSON value) with `name` added as an own key of the object at `path`,
 * made through JSON text so that it is exactly what a client's body parses to.
 */
export function withKey(base: unknown, path: Path, name: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as unknown;
  setOwn(at(copy, path) as object, name, value);
  return JSON.parse(JSON.stringify(copy)) as unknown;
}

/** Whether an issue path names the hostile key or the object it was put in (or something under the key). */
export function namesInjection(issuePath: readonly PropertyKey[], container: Path, name: string): boolean {
  if (issuePath.length < container.length) return false;
  for (let i = 0; i < container.length; i++) if (issuePath[i] !== container[i]) return false;
  return issuePath.length === container.length || issuePath[container.length] === name;
}

/** Values a hostile key may carry. */
export const jsonValue = fc.oneof(
  fc.constantFrom(true, false, null, 0, 1, -1, 'x', '', [], {}, { level: 3 }, { de: 'a', en: 'b' }),
  fc.jsonValue({ maxDepth: 2 }),
);
