import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The browser scripts of the customer pages: entry point → file in the output folder. */
export const PAGE_SCRIPTS = {
  'center.js': 'src/center/client.ts',
  'shop.js': 'src/shop/client.ts',
} as const;

/** Bundles the pages' scripts (one IIFE each, no runtime dependencies) into `outdir`. */
export async function buildPages(outdir = join(pkg, 'dist')): Promise<Array<{ file: string; gzip: number }>> {
  const out = [];
  for (const [file, entry] of Object.entries(PAGE_SCRIPTS)) {
    await build({
      entryPoints: [join(pkg, entry)],
      outfile: join(outdir, file),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    out.push({ file, gzip: gzipSync(readFileSync(join(outdir, file)), { level: 9 }).length });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await buildPages())
    console.log(`apps/web/dist/${f.file}  ${(f.gzip / 1024).toFixed(2)} KB gzipped`);
}
