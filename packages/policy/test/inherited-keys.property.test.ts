import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPath } from '@vitrine/contracts';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkPolicyBuilds,
  compilePolicy,
  isPolicyError,
  loadPolicyFile,
  type PolicyError,
  parsePolicy,
  purposeScopeHashes,
  recordOfProcessing,
  renderNotice,
} from '../src/index';
import { defaultJson } from './fixtures';

/** Every name a plain object inherits, and `__proto__` (which JSON.parse makes an own key). */
const HOSTILE = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

type Path = (string | number)[];
const BASE = defaultJson() as unknown;

function walk(value: unknown, path: Path, visit: (v: unknown, p: Path) => void): void {
  visit(value, path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, [...path, i], visit);
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const objects: Path[] = [];
const keys: [Path, string][] = [];
const strings: Path[] = [];
walk(BASE, [], (v, p) => {
  if (isObject(v)) {
    objects.push(p);
    for (const k of Object.keys(v)) keys.push([p, k]);
  } else if (typeof v === 'string') strings.push(p);
});

function at(value: unknown, path: Path): unknown {
  let cur = value;
  for (const p of path) cur = (cur as Record<string | number, unknown>)[p];
  return cur;
}

/** Sets an own key, even `__proto__`, as JSON.parse does. */
function setOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

type Change =
  | { op: 'add'; path: Path; name: string; value: unknown }
  | { op: 'rename'; path: Path; key: string; name: string }
  | { op: 'replace'; path: Path; name: string };

/** The policy file's text after the change: what a merchant's file parses to. */
function changed(change: Change): unknown {
  const copy = JSON.parse(JSON.stringify(BASE)) as unknown;
  if (change.op === 'replace') {
    const parent = at(copy, change.path.slice(0, -1)) as Record<string | number, unknown>;
    parent[change.path[change.path.length - 1]!] = change.name;
  } else {
    const obj = at(copy, change.path) as Record<string, unknown>;
    if (change.op === 'add') setOwn(obj, change.name, change.value);
    else {
      const value = obj[change.key];
      delete obj[change.key];
      setOwn(obj, change.name, value);
    }
  }
  return JSON.parse(JSON.stringify(copy));
}

/** Paths the error may name: the object changed, the hostile key or the renamed key (or under them). */
function allowedPaths(change: Change): string[] {
  if (change.op === 'replace') return [formatPath(change.path)];
  const under = [formatPath([...change.path, change.name])];
  if (change.op === 'rename') under.push(formatPath([...change.path, change.key]));
  return [formatPath(change.path), ...under];
}

const namesChange = (path: string, allowed: string[]): boolean =>
  allowed.some((a) => path === a || (a !== '' && (path.startsWith(`${a}.`) || path.startsWith(`${a}[`))));

const name = fc.constantFrom(...HOSTILE);
const siblingOrJson = (path: Path) => {
  const siblings = Object.values(at(BASE, path) as Record<string, unknown>);
  return fc.oneof(fc.constantFrom(...siblings), fc.jsonValue({ maxDepth: 2 }));
};
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.constantFrom(...objects).chain((path) =>
    fc.record({
      op: fc.constant('add' as const),
      path: fc.constant(path),
      name,
      value: siblingOrJson(path),
    }),
  ),
  fc
    .constantFrom(...keys)
    .chain(([path, key]) =>
      fc.record({ op: fc.constant('rename' as const), path: fc.constant(path), key: fc.constant(key), name }),
    ),
  fc.record({ op: fc.constant('replace' as const), path: fc.constantFrom(...strings), name }),
);

function policyError(fn: () => unknown): PolicyError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (isPolicyError(e)) return e;
    throw e;
  }
}

describe('inherited keys (#11): a policy with an Object.prototype name or __proto__ anywhere', () => {
  it('is refused with `<file>: <path>: <problem>` naming the change, or loads and builds every document', () => {
    let refused = 0;
    let loaded = 0;
    fc.assert(
      fc.property(change, (c) => {
        const json = changed(c);
        const e = policyError(() => parsePolicy(json, 'shop.json'));
        if (e !== undefined) {
          refused++;
          expect(e.file).toBe('shop.json');
          expect(e.problem.length).toBeGreaterThan(0);
          expect(e.message).toBe(`shop.json: ${e.path === '' ? '(file)' : e.path}: ${e.problem}`);
          expect(namesChange(e.path, allowedPaths(c)), `${e.message} for ${JSON.stringify(c)}`).toBe(true);
          return;
        }
        // Handled as ordinary text (e.g. a label reading "constructor"): everything builds.
        loaded++;
        const policy = parsePolicy(json, 'shop.json');
        expect(() => checkPolicyBuilds(policy, 'shop.json')).not.toThrow();
        const compiled = compilePolicy(policy);
        expect(compiled.purposes.size).toBe(Object.keys(policy.purposes).length);
        expect([...purposeScopeHashes(policy).values()].every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
      }),
      { numRuns: 1500 },
    );
    // Both branches were taken: the property does not pass by refusing everything.
    expect(refused).toBeGreaterThan(0);
    expect(loaded).toBeGreaterThan(0);
  });
});

describe('inherited keys (#11): the cases from the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectRefused = (json: unknown, path: string, problem: RegExp) => {
    const e = policyError(() => parsePolicy(json, 'shop.json'));
    expect(e?.message).toBe(`shop.json: ${path}: ${e?.problem}`);
    expect(e?.problem).toMatch(problem);
  };
  const builtIn = /"constructor" is a built-in property name of every JavaScript object .*choose another/;

  it('a purpose listing `constructor` as a recipient is refused at its path', () => {
    const json = defaultJson();
    json.purposes.predictions!.recipients = ['hosting', 'constructor'];
    expectRefused(json, 'purposes.predictions.recipients[1]', builtIn);
  });

  it('a purpose listing `constructor` as a category is refused at its path', () => {
    const json = defaultJson();
    json.purposes.history_personalization!.categories.push('constructor');
    expectRefused(json, 'purposes.history_personalization.categories[3]', builtIn);
  });

  it('an event mapped to the category `constructor` is refused at its path', () => {
    const json = defaultJson();
    json.events.view.category = 'constructor';
    expectRefused(json, 'events.view.category', builtIn);
  });

  it('a category, purpose or recipient declared as `constructor` is refused at its key', () => {
    for (const section of ['categories', 'purposes', 'recipients'] as const) {
      const json = defaultJson() as unknown as Record<string, Record<string, unknown>>;
      const entries = json[section]!;
      const first = Object.keys(entries)[0]!;
      Object.defineProperty(entries, 'constructor', { value: entries[first], enumerable: true });
      expectRefused(json, `${section}.constructor`, /"constructor" is a built-in property name/);
    }
  });

  it('a category named `__proto__` in a policy file is refused, not silently dropped', () => {
    const text = JSON.stringify(defaultJson()).replace(
      '"categories":{',
      '"categories":{"__proto__":{"kind":"observed","retention":"P1D","label":{"de":"a","en":"a"},"description":{"de":"a","en":"a"}},',
    );
    const file = join(dir, 'proto.json');
    writeFileSync(file, text);
    const e = policyError(() => loadPolicyFile(file));
    expect(e?.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: categories\\.__proto__: "__proto__" is a built-in property name`,
      ),
    );
  });

  it('a field_categories entry named after an inherited member is refused at its key', () => {
    const json = JSON.parse(
      JSON.stringify(defaultJson()).replace(
        '"field_categories":{',
        '"field_categories":{"toString":"browsing",',
      ),
    );
    expectRefused(json, 'events.view.field_categories.toString', /"toString" is a built-in property name/);
  });

  it('text that merely reads "constructor" or "__proto__" is ordinary text in every document', () => {
    const json = defaultJson();
    json.controller.name = '__proto__';
    json.purposes.predictions!.label.en = 'constructor';
    const policy = parsePolicy(json, 'shop.json');
    checkPolicyBuilds(policy, 'shop.json');
    expect(renderNotice(policy, 'en')).toContain('constructor');
    expect(recordOfProcessing(policy).controller.name).toBe('__proto__');
  });

  it('text with NUL or a lone surrogate is refused at its path', () => {
    const json = defaultJson();
    json.purposes.predictions!.label.de = 'Vorhersage\u0000';
    expectRefused(json, 'purposes.predictions.label.de', /NUL character/);
    const other = defaultJson();
    other.controller.address = 'Musterstraße \ud800';
    expectRefused(other, 'controller.address', /lone UTF-16 surrogate/);
  });
});
