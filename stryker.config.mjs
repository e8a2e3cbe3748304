// Mutation testing of the privacy-critical code (docs/mutation.md). Run by hand, never in CI:
//   npm run mutation          the pure packages: consent, policy, contracts (about 10 min on 2 cores)
//   npm run mutation:server   the server's key check, subject rule and consent/track flows (slower)
// Both write reports/mutation/<set>.html and .json; the score and survivors go into docs/mutation.md.
const set = process.env.MUTATION_SET ?? 'packages';

const mutate = {
  packages: [
    'packages/consent/src/**/*.ts',
    '!packages/consent/src/index.ts',
    'packages/policy/src/{parse,compile,purposes,duration,hash,check,schema}.ts',
    'packages/contracts/src/{keys,text,consent,events}.ts',
  ],
  server: [
    'apps/server/src/http/auth.ts',
    'apps/server/src/http/shop-scope.ts',
    'apps/server/src/flows/{consent,subject-consent,track}.ts',
  ],
}[set];
if (!mutate) throw new Error(`MUTATION_SET must be packages or server, not "${set}"`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate,
  // One test runner per core of the 2-core dev box; each runs one vitest thread.
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${set}.html` },
  jsonReporter: { fileName: `reports/mutation/${set}.json` },
  ignorePatterns: ['reports', '.bench', 'bench', 'apps/cli', 'docs', '*.db*'],
  cleanTempDir: 'always',
};
