import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** tsx's ESM API (`register`), found through its package exports, whatever the working directory. */
const TSX_API = (() => {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (entry === undefined) throw new Error('tsx does not export ./esm/api; the EASE worker cannot start');
  return pathToFileURL(join(dirname(pkgFile), entry)).href;
})();

/**
 * Solves EASE (O(n³), tens of seconds for thousands of items) in a worker thread, so that the
 * API keeps answering meanwhile. The Gram matrix is moved to the worker, not copied.
 */
export function solveEase(gram: Float64Array, n: number, lambda: number): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    // The worker runs the TypeScript sources like the main process does: it registers tsx's
    // loader, then imports the worker module (Node 20 does not apply --import hooks to a
    // worker's entry module).
    const entry = new URL('./ease-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, {
      eval: true,
      workerData: { gram, n, lambda },
      transferList: [gram.buffer as ArrayBuffer],
    });
    worker.once('message', (weights: Float32Array) => {
      resolve(weights);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the EASE worker stopped with exit code ${code}`));
    });
  });
}
