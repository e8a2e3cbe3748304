import { readFileSync } from 'node:fs';
import { defaultPolicyPath, type PolicyInput } from '../src/index';

/** A fresh, mutable copy of the default policy's JSON, for tests that break one thing. */
export function defaultJson(): PolicyInput {
  return JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
}

/** Paths (`a.b[2].c`) of every `{de, en}` text object in a JSON value. */
export function textPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => textPaths(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  if (keys.join(',') === 'de,en') return [path];
  return keys.flatMap((k) => textPaths(obj[k], path === '' ? k : `${path}.${k}`));
}

/** Reads `a.b[2].c` from a JSON value. */
export function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) cur = (cur as Record<string, unknown>)[part];
  return cur;
}
