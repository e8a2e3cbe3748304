import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of apps/ and packages/, type-only imports included (Biome's cycle rule
 * does not see a cycle closed by `import type`), and of dynamic `import()`s.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCES = ['apps', 'packages'];

/** Workspace package names → their entry files, from each package.json's `exports`. */
function workspaceEntries(): Map<string, string> {
  const out = new Map<string, string>();
  for (const top of SOURCES) {
    for (const dir of readdirSync(join(ROOT, top))) {
      const pkgFile = join(ROOT, top, dir, 'package.json');
      if (!existsSync(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
        name: string;
        exports?: Record<string, string>;
      };
      for (const [sub, file] of Object.entries(pkg.exports ?? {}))
        out.set(sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`, join(ROOT, top, dir, file));
    }
  }
  return out;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'test') continue;
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveImport(from: string, spec: string, entries: Map<string, string>): string | undefined {
  if (entries.has(spec)) return entries.get(spec);
  if (!spec.startsWith('.')) return undefined; // a dependency from npm
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** file → the files of this repository it imports (values too, types too). */
function importGraph(): Map<string, string[]> {
  const entries = workspaceEntries();
  const graph = new Map<string, string[]>();
  for (const top of SOURCES) {
    for (const file of sourceFiles(join(ROOT, top))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles
        .map((i) => resolveImport(file, i.fileName, entries))
        .filter((t): t is string => t !== undefined);
      graph.set(file, [...new Set(targets)]);
    }
  }
  return graph;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import structure', () => {
  it('the cycle finder finds a cycle closed by any import, and none in a tree', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(
      cycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads type-only and dynamic imports as edges', () => {
    const { importedFiles } = ts.preProcessFile(
      "import type { A } from './a';\nexport type { B } from './b';\nconst c = await import('./c');",
      true,
      true,
    );
    expect(importedFiles.map((i) => i.fileName)).toEqual(['./a', './b', './c']);
  });

  it('apps/ and packages/ have no import cycle, type-only imports included', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(50);
    // Every workspace package is reached through its entry file, so the graph spans packages.
    expect(
      [...graph.values()].flat().some((f) => f.endsWith(join('packages', 'contracts', 'src', 'index.ts'))),
    ).toBe(true);
    const found = cycles(graph).map((c) => c.map((f) => relative(ROOT, f)));
    expect(found).toEqual([]);
  });
});
