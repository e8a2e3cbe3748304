import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The size budget for everything the SDK ships to a browser, gzipped (DESIGN.md). */
export const BUDGET_BYTES = 15 * 1024;

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Built {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  gzipTotal: number;
}

/** Bundles the SDK into one file, `dist/vitrine.js` (an IIFE that sets `window.Vitrine`; CSS inside). */
export async function buildSdk(outdir = join(pkg, 'dist')): Promise<Built> {
  await build({
    entryPoints: [join(pkg, 'src/index.ts')],
    outfile: join(outdir, 'vitrine.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files = readdirSync(outdir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => {
      const data = readFileSync(join(outdir, f));
      return { file: f, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
    });
  return { files, gzipTotal: files.reduce((s, f) => s + f.gzip, 0) };
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await buildSdk();
  for (const f of r.files) console.log(`dist/${f.file}  ${kb(f.bytes)} raw  ${kb(f.gzip)} gzipped`);
  const ok = r.gzipTotal <= BUDGET_BYTES;
  console.log(
    `total shipped (JS + CSS), gzipped: ${kb(r.gzipTotal)} of ${kb(BUDGET_BYTES)} budget${ok ? '' : ' — OVER BUDGET'}`,
  );
  console.log(JSON.stringify({ gzip_bytes: r.gzipTotal, budget_bytes: BUDGET_BYTES }));
  if (!ok) process.exit(1);
}
