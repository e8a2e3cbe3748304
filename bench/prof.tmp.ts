import { buildDerived, buildExactModels, buildExactModelsInSlices, Slicer } from '@vitrine/engine';
import { runScaleGen } from './scale';

const shop = runScaleGen(
  Number(process.argv[2] ?? 10000),
  Number(process.argv[3] ?? 300000),
  Number(process.argv[4] ?? 20000),
);
const ev = () => shop.events.filter((e) => e.type !== 'search');
let t = performance.now();
const m = buildExactModels(shop.catalog, ev());
console.log('exact sync', (performance.now() - t).toFixed(0));
t = performance.now();
const job = m.prepareRefresh();
console.log('prepare sync', (performance.now() - t).toFixed(0), job.input.recItem.length);
t = performance.now();
const d = buildDerived({ ...job.input, options: { ...job.input.options, easeMaxItems: 0 } });
console.log('derive sparse', (performance.now() - t).toFixed(0), d.nbrCol.length);
t = performance.now();
const m2 = await buildExactModelsInSlices(
  shop.catalog,
  ev(),
  {},
  new Slicer(1),
  () => new Promise((r) => setImmediate(r)),
);
console.log('exact slices', (performance.now() - t).toFixed(0));
t = performance.now();
await m2.prepareRefreshInSlices(new Slicer(1), () => new Promise((r) => setImmediate(r)));
console.log('prepare slices', (performance.now() - t).toFixed(0));
console.log('rss', process.resourceUsage().maxRSS / 1024);
