import { buildExactModelsInSlices, Slicer } from '@vitrine/engine';
import { deriveInWorker, yieldToRequests } from '../apps/server/src/runtime/derive';
import { runScaleGen } from './scale';

const [I, E, S] = process.argv.slice(2).map(Number);
const shop = runScaleGen(I ?? 100000, E ?? 5000000, S ?? 200000);
const T0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - T0) / 1000).toFixed(1)}s] ${m}`);
let done = false;
const poll = (async () => {
  let last = performance.now();
  while (!done) {
    await new Promise((r) => setImmediate(r));
    const now = performance.now();
    if (now - last > 100) log(`STALL ${(now - last).toFixed(0)} ms`);
    last = now;
  }
})();
async function build() {
  const ev = shop.events.filter((e) => e.type !== 'search');
  log('exact start');
  const m = await buildExactModelsInSlices(shop.catalog, ev, {}, new Slicer(1), yieldToRequests);
  log(`exact done rss ${(process.memoryUsage().rss / 1e6).toFixed(0)}`);
  const job = await m.prepareRefreshInSlices(new Slicer(1), yieldToRequests);
  log('prepared');
  const d = await deriveInWorker(job.input);
  log('derived');
  m.completeRefresh(job, d);
  log('installed');
  return m;
}
const a = await build();
const b = await build();
done = true;
await poll;
log(`rss max ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} ${a.stats().events} ${b.stats().events}`);
