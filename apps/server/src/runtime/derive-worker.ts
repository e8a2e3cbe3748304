import { parentPort, workerData } from 'node:worker_threads';
import { buildDerived, type DerivedInput, derivedBuffers } from '@vitrine/engine';

/** Builds one derived model off the main thread (see derive.ts). */
const data = buildDerived(workerData as DerivedInput);
parentPort?.postMessage(data, derivedBuffers(data));
