import { evaluateRetail } from './lib/quality-retail';

const grid: Record<string, number>[] = JSON.parse(process.argv[2]!);
for (const g of grid) {
  const r = evaluateRetail('/work/shared/data', { easeMaxItems: 0, ...g }, true)!;
  console.log(
    JSON.stringify(g),
    'L2',
    r.levels[2]!.ndcg.toFixed(2),
    'L3',
    r.ndcg.toFixed(2),
    'R',
    r.recall.toFixed(2),
  );
}
