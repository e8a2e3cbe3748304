import { buildModels, type Level, recommend } from '@vitrine/engine';
import { runScaleGen, viewsOfShop } from './scale';

const shop = runScaleGen(100000, 5000000, 200000);
const views = viewsOfShop(shop, 2000, 99);
const m = buildModels(
  shop.catalog,
  shop.events.filter((e) => e.type !== 'search'),
);
console.log('built');
const { Session } = await import('node:inspector/promises');
const session = new Session();
session.connect();
for (const level of [1, 2, 3] as Level[]) {
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const lat: number[] = [];
  for (let rep = 0; rep < 2; rep++)
    for (const { view, now } of views) {
      const t = performance.now();
      recommend(m, { scenario: 'for_you', view: view(level), limit: 10, now });
      lat.push(performance.now() - t);
    }
  const { profile } = await session.post('Profiler.stop');
  lat.sort((a, b) => a - b);
  console.log(
    'level',
    level,
    'p50',
    lat[lat.length >> 1]!.toFixed(3),
    'p99',
    lat[Math.floor(lat.length * 0.99)]!.toFixed(3),
  );
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas!;
  profile.samples!.forEach((s, i) => {
    const n = byId.get(s)!;
    const k = `${n.callFrame.functionName} ${n.callFrame.url.split('/').slice(-1)[0]}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0));
  });
  console.log(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, t]) => `  ${(t / 1000).toFixed(0)}ms ${k}`)
      .join('\n'),
  );
}
