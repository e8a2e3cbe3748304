/**
 * `npm run bench -- <name> [args]`: runs one benchmark. Benchmarks print figures and compare
 * against a baseline run in the same process; they are not CI gates.
 */
const benches: Record<string, () => Promise<(args: string[]) => Promise<void>>> = {
  audit: async () => (await import('./audit')).runAudit,
  ingest: async () => (await import('./ingest')).runIngest,
  erase: async () => (await import('./erase')).runErase,
  quality: async () => (await import('./quality')).runQuality,
  scale: async () => (await import('./scale')).runScale,
};

const [bench, ...args] = process.argv.slice(2);
const load = bench === undefined ? undefined : benches[bench];
if (load === undefined) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
try {
  await (await load())(args);
} catch (e) {
  console.error(`bench ${bench}: ${(e as Error).message}`);
  process.exitCode = 1;
}

export {};
