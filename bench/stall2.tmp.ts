import { buildExactModelsInSlices, recommend, Slicer } from '@vitrine/engine';
import { buildModelsOffThread, deriveInWorker, yieldToRequests } from '../apps/server/src/runtime/derive';
import { runScaleGen, viewsOfShop } from './scale';

const shop = runScaleGen(100000, 5000000, 200000);
const views = viewsOfShop(shop, 2000, 99);
const T0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - T0) / 1000).toFixed(1)}s] ${m}`);
const a = await buildModelsOffThread(
  shop.catalog,
  shop.events.filter((e) => e.type !== 'search'),
);
log('a built');
let done = false;
let backlog = 0;
const poll = (async () => {
  let last = performance.now();
  let next = performance.now();
  let i = 0;
  while (!done) {
    await new Promise((r) => setImmediate(r));
    const now = performance.now();
    if (now - last > 100) log(`STALL ${(now - last).toFixed(0)} ms`);
    const turn = performance.now();
    let n = 0;
    while (!done && performance.now() >= next && performance.now() - turn < 5) {
      const { view, now: t } = views[i++ % views.length]!;
      recommend(a, { scenario: 'for_you', view: view(2), limit: 10, now: t });
      next += 2;
      n++;
    }
    const lag = performance.now() - next;
    if (lag > 200 && lag > backlog + 200) {
      log(`backlog ${lag.toFixed(0)} ms`);
      backlog = lag;
    }
    last = performance.now();
  }
})();
const ev = shop.events.filter((e) => e.type !== 'search');
log('exact start');
const m = await buildExactModelsInSlices(shop.catalog, ev, {}, new Slicer(1), yieldToRequests);
log(`exact done`);
const job = await m.prepareRefreshInSlices(new Slicer(1), yieldToRequests);
log('prepared');
const d = await deriveInWorker(job.input);
log('derived');
m.completeRefresh(job, d);
log('installed');
done = true;
await poll;
