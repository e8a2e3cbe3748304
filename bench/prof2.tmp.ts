import { buildExactModels } from '@vitrine/engine';
import { runScaleGen } from './scale';

const shop = runScaleGen(10000, 300000, 20000);
const ev = shop.events.filter((e) => e.type !== 'search');
let t = performance.now();
const sorted = [...ev].sort(
  (a, b) => a.ts - b.ts || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
);
console.log('sort', (performance.now() - t).toFixed(0));
t = performance.now();
const m = buildExactModels(shop.catalog, sorted);
console.log('exact sync', (performance.now() - t).toFixed(0));
