import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  buildExactModelsInSlices,
  type CatalogItem,
  type DerivedData,
  type DerivedInput,
  type Interaction,
  inputBuffers,
  type ModelOptions,
  type Models,
  Slicer,
} from '@vitrine/engine';

/** tsx's ESM API (`register`), found through its package exports, whatever the working directory. */
const TSX_API = (() => {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (entry === undefined) throw new Error('tsx does not export ./esm/api; the model worker cannot start');
  return pathToFileURL(join(dirname(pkgFile), entry)).href;
})();

/**
 * Longest stretch of model-building work on the request thread between two turns of the event
 * loop: a request that arrives meanwhile waits at most about this long.
 */
export const BUILD_SLICE_MS = 1;

/** Lets the event loop answer what is waiting (I/O, requests) before the build goes on. */
export const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Builds a derived model (item-item rows and cycles) in a worker thread. The input's arrays are
 * moved to the worker, the result's moved back, neither copied.
 */
export function deriveInWorker(input: DerivedInput): Promise<DerivedData> {
  return new Promise((resolve, reject) => {
    // The worker runs the TypeScript sources like the main process does: it registers tsx's
    // loader, then imports the worker module (Node 20 does not apply --import hooks to a
    // worker's entry module).
    const entry = new URL('./derive-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: input, transferList: inputBuffers(input) });
    worker.once('message', (data: DerivedData) => {
      resolve(data);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the model worker stopped with exit code ${code}`));
    });
  });
}

/**
 * Recomputes the derived model of live models without blocking requests: the input is read
 * from the exact state in slices, the model built in a worker. Returns false when a removal
 * happened meanwhile (the result would bring the removed data back; the next refresh tries
 * again).
 */
export async function refreshOffThread(models: Models): Promise<boolean> {
  const job = await models.prepareRefreshInSlices(new Slicer(BUILD_SLICE_MS), yieldToRequests);
  return models.completeRefresh(job, await deriveInWorker(job.input));
}

/**
 * A full model build that never blocks requests for longer than a slice: the exact state
 * (catalog, sort, sessions, counts) on this thread in slices, the derived model in a worker.
 * Equal to `buildModels(catalog, interactions, options)`; `interactions` is consumed (empty afterwards).
 */
export async function buildModelsOffThread(
  catalog: readonly CatalogItem[],
  interactions: Interaction[],
  options: Partial<ModelOptions> = {},
): Promise<Models> {
  const models = await buildExactModelsInSlices(
    catalog,
    interactions,
    options,
    new Slicer(BUILD_SLICE_MS),
    yieldToRequests,
  );
  await refreshOffThread(models);
  return models;
}
