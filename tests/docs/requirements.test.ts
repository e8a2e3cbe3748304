import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ID = /\b[CORTD]\d{1,2}\b/g;

/** Test sources: the suites and the contract parts they call (tests/, packages/x/test, apps/x/test). */
function testFiles(dir: string, inTests: boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const isTests = inTests || name === 'test';
    if (statSync(path).isDirectory()) testFiles(path, isTests, out);
    else if (isTests && name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The titles of `it`, `test` and `describe` (also `describe.each(...)(…)`), however the call is wrapped. */
function titles(source: string): string[] {
  const out: string[] = [];
  const call =
    /(?:\b(?:it|test|describe)(?:\.(?:skip|only|todo|concurrent))?|\.each\([\s\S]*?\)|\.skipIf\([\s\S]*?\))\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of source.matchAll(call)) out.push(m[2]!);
  return out;
}

/** id → files whose test titles name it. */
function idsInTestTitles(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const files = [
    ...testFiles(join(ROOT, 'tests'), true),
    ...testFiles(join(ROOT, 'packages'), false),
    ...testFiles(join(ROOT, 'apps'), false),
  ];
  // This file's own samples of titles are not tests of a requirement.
  for (const file of files.filter((f) => f !== import.meta.filename)) {
    for (const title of titles(readFileSync(file, 'utf8'))) {
      for (const [id] of title.matchAll(ID)) {
        const files = found.get(id) ?? new Set<string>();
        files.add(relative(ROOT, file).split('\\').join('/'));
        found.set(id, files);
      }
    }
  }
  return found;
}

/** id → the test files the index lists for it. */
function index(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const doc = readFileSync(join(ROOT, 'docs', 'requirements.md'), 'utf8');
  for (const m of doc.matchAll(/^- \*\*([A-Z]\d{1,2})\*\* .* — (.*)$/gm)) {
    expect(out.has(m[1]!), `${m[1]} is listed twice in docs/requirements.md`).toBe(false);
    const files = m[2]!.trim() === 'None yet.' ? [] : m[2]!.split(',').map((f) => f.trim());
    out.set(m[1]!, files);
  }
  return out;
}

describe('requirements index (docs/requirements.md)', () => {
  it('reads titles wherever they stand: plain, on the next line, and after describe.each(…)', () => {
    expect(
      titles("it('C1: a')\nit(\n  'C2: b',\n)\ndescribe.each(drivers())('C3: c (%s)', () => {})"),
    ).toEqual(['C1: a', 'C2: b', 'C3: c (%s)']);
  });

  it('lists every requirement of the privacy requirements once', () => {
    const ids = [...index().keys()];
    const expected = [
      ...Array.from({ length: 12 }, (_, i) => `C${i + 1}`),
      'O1',
      'O2',
      'O3',
      ...Array.from({ length: 5 }, (_, i) => `T${i + 1}`),
      ...Array.from({ length: 7 }, (_, i) => `R${i + 1}`),
      ...Array.from({ length: 6 }, (_, i) => `D${i + 1}`),
    ];
    expect(ids).toEqual(expected);
  });

  it('every requirement id named in a test title resolves in the index, with the files that name it', () => {
    const listed = index();
    const named = idsInTestTitles();
    expect(named.size).toBeGreaterThan(10);
    for (const [id, files] of named) {
      expect(
        listed.has(id),
        `${id} is named in ${[...files].join(', ')} but not in docs/requirements.md`,
      ).toBe(true);
      expect(
        [...(listed.get(id) ?? [])].sort(),
        `docs/requirements.md: the line of ${id} must list exactly the files whose test titles name it`,
      ).toEqual([...files].sort());
    }
    for (const [id, files] of listed) {
      if (!named.has(id)) expect(files, `${id}: no test title names it; write "None yet."`).toEqual([]);
    }
  });
});
