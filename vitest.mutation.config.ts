import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The vitest config Stryker runs (`npm run mutation`, `npm run mutation:server`), never `npm test`.
 *
 * Stryker mutates a copy of the repository (a sandbox) but links the root node_modules into
 * it, and node_modules/@vitrine/* point back at the unmutated packages. The aliases send every
 * `@vitrine/*` import to the sources next to this file, so a mutant in contracts is seen by
 * the consent and policy tests too. `MUTATION_SET` picks the tests: the pure packages (fast)
 * or the HTTP suites that drive the server's auth and consent/track flows (slow).
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const packages = ['consent', 'contracts', 'policy', 'storage', 'engine'];
const alias = [
  ...packages.map((name) => ({
    find: new RegExp(`^@vitrine/${name}$`),
    replacement: here(`./packages/${name}/src/index.ts`),
  })),
  { find: /^@vitrine\/server$/, replacement: here('./apps/server/src/index.ts') },
];

const sets: Record<string, string[]> = {
  packages: [
    'packages/consent/test/**/*.test.ts',
    'packages/policy/test/**/*.test.ts',
    'packages/contracts/test/**/*.test.ts',
  ],
  server: ['tests/api/**/*.test.ts'],
};
const set = process.env.MUTATION_SET ?? 'packages';
const include = sets[set];
if (!include) throw new Error(`MUTATION_SET must be one of ${Object.keys(sets).join(', ')}, not "${set}"`);

export default defineConfig({
  resolve: { alias },
  test: {
    include,
    setupFiles: ['./vitest.mutation.setup.ts'],
    // The server set runs on SQLite only: the mutated code (key check, subject rule, flows) is
    // the same for both stores, and PostgreSQL would double every mutant's run.
    env: set === 'server' ? { TEST_DATABASE_URL: '' } : {},
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
