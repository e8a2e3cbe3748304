import { parentPort, workerData } from 'node:worker_threads';
import { easeWeights } from '@vitrine/engine';

/** Runs one EASE solve off the main thread (see solve-ease.ts). */
const { gram, n, lambda } = workerData as { gram: Float64Array; n: number; lambda: number };
const weights = easeWeights(gram, n, lambda);
parentPort?.postMessage(weights, [weights.buffer as ArrayBuffer]);
