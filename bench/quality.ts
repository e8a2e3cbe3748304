/**
 * Quality benchmark of @vitrine/engine on real data, through the same code paths the server uses
 * (buildModels from Interaction lists, recommend with a SubjectView).
 *
 *   npx tsx bench/quality.ts [--data DIR] [--only diginetica,yoochoose1_64,online-retail]
 *                            [--validate] [--set option=value ...]
 *
 * Per session dataset, the sequential-rules blend is first chosen on a validation split carved from
 * TRAIN (the last 10 % of training sessions); --no-tune keeps the defaults. --validate scores that
 * validation split instead of the test split; --set overrides a ModelOptions default for the run.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultOptions, type ModelOptions } from '@vitrine/engine';
import { readSessionDataset, sessionDatasets } from './lib/quality-data';
import { evaluateRetail, type RetailResult } from './lib/quality-retail';
import {
  evaluateSessions,
  type SessionResult,
  tuneOnValidation,
  validationSplit,
} from './lib/quality-sessions';

interface Args {
  dataDir: string;
  only: Set<string> | null;
  validate: boolean;
  tune: boolean;
  options: Partial<ModelOptions>;
}

function parseArgs(argv: readonly string[]): Args {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const args: Args = {
    dataDir: resolve(repo, '../shared/data'),
    only: null,
    validate: false,
    tune: true,
    options: {},
  };
  const options: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') args.dataDir = resolve(argv[++i] ?? '.');
    else if (a === '--only') args.only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
    else if (a === '--validate') args.validate = true;
    else if (a === '--no-tune') args.tune = false;
    else if (a === '--set') {
      const [key = '', value = ''] = (argv[++i] ?? '').split('=');
      if (!(key in defaultOptions) || !Number.isFinite(Number(value)))
        throw new Error(`--set ${key}=${value}?`);
      options[key] = Number(value);
    } else throw new Error(`unknown argument ${a}`);
  }
  args.options = options as Partial<ModelOptions>;
  return args;
}

const f = (x: number, digits = 2) => x.toFixed(digits);

function printSessions(r: SessionResult): void {
  console.log(`\n## ${r.dataset} — next item, HR@20 / MRR@20 (%)`);
  console.log('| method | HR@20 | MRR@20 |\n|---|---|---|');
  for (const row of r.rows) console.log(`| ${row.method} | ${f(row.hr20)} | ${f(row.mrr20)} |`);
  console.log(
    `model build ${f(r.buildS, 1)} s; query latency p50 ${f(r.p50Ms, 3)} ms, p99 ${f(r.p99Ms, 3)} ms`,
  );
}

function printRetail(r: RetailResult): void {
  console.log(
    `\n## online-retail — next-3-months basket, @10 (%), ${r.customers} customers, ${r.items} items`,
  );
  console.log('| method | Recall@10 | NDCG@10 | HR@10 |\n|---|---|---|---|');
  for (const row of r.rows)
    console.log(`| ${row.method} | ${f(row.recall)} | ${f(row.ndcg)} | ${f(row.hr)} |`);
  console.log('\n### privacy–utility (online-retail)');
  console.log('| level | data the engine sees | Recall@10 | NDCG@10 | HR@10 |\n|---|---|---|---|---|');
  for (const row of r.levels) {
    console.log(`| ${row.level} | ${row.sees} | ${f(row.recall)} | ${f(row.ndcg)} | ${f(row.hr)} |`);
  }
  console.log(
    `model build ${f(r.buildS, 1)} s; level-3 query latency p50 ${f(r.p50Ms, 3)} ms, p99 ${f(r.p99Ms, 3)} ms` +
      ` (single pass); p99 ${f(r.p99Min3Ms, 3)} ms (fastest of 3 runs per query)`,
  );
}

export async function runQuality(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const wanted = (name: string) => args.only === null || args.only.has(name);
  const lines: string[] = [];
  console.log(
    `# quality benchmark — data ${args.dataDir}${args.validate ? ' (validation split from TRAIN)' : ''}`,
  );
  for (const name of sessionDatasets(args.dataDir)) {
    if (!wanted(name)) continue;
    const full = readSessionDataset(args.dataDir, name);
    const ds = args.validate ? validationSplit(full) : full;
    let options = args.options;
    if (args.tune && !args.validate) {
      const tuned = tuneOnValidation(full, args.options);
      options = tuned.chosen;
      console.log(`\n${name}: blend chosen on the validation split from TRAIN (HR@20 / MRR@20):`);
      for (const t of tuned.tried)
        console.log(`  ${JSON.stringify(t.options)}  ${f(t.hr20)} / ${f(t.mrr20)}`);
    }
    const r = evaluateSessions(ds, options);
    printSessions(r);
    lines.push(
      JSON.stringify({
        bench: 'quality',
        dataset: name,
        hr20: +f(r.hr20),
        mrr20: +f(r.mrr20),
        build_s: +f(r.buildS),
        p50_ms: +f(r.p50Ms, 3),
        p99_ms: +f(r.p99Ms, 3),
      }),
    );
  }
  if (wanted('online-retail')) {
    const r = evaluateRetail(args.dataDir, args.options, args.validate);
    if (r) {
      printRetail(r);
      lines.push(
        JSON.stringify({
          bench: 'quality',
          dataset: 'online-retail',
          recall10: +f(r.recall),
          ndcg10: +f(r.ndcg),
          hr10: +f(r.hr),
          build_s: +f(r.buildS),
          p99_ms: +f(r.p99Ms, 3),
          p99_min3_ms: +f(r.p99Min3Ms, 3),
        }),
      );
    }
  }
  if (lines.length === 0) {
    throw new Error(
      `no data sets found in ${args.dataDir}: expected sessions/<name>/train_sessions.txt and test_prefix_target.tsv, or online-retail/online_retail.csv (give another folder with --data DIR)`,
    );
  }
  console.log('');
  for (const line of lines) console.log(line);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runQuality(process.argv.slice(2));
}
