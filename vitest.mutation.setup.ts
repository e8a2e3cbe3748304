import { vi } from 'vitest';

/**
 * Mutation runs only (vitest.mutation.config.ts): every fast-check property runs at most
 * MUTATION_NUM_RUNS cases (default 100) from a fixed seed. A mutant that one of the first
 * cases does not catch still survives and is judged in docs/mutation.md; `npm test` keeps
 * each property's full count. The fixed seed makes two runs on the same code agree.
 */
const cap = Number(process.env.MUTATION_NUM_RUNS ?? 100);
const seed = 20_261_201;

vi.mock('fast-check', async (importOriginal) => {
  const fc = await importOriginal<typeof import('fast-check')>();
  type Params = Parameters<typeof fc.assert>[1];
  const capped = (params: Params) => ({ ...params, seed, numRuns: Math.min(params?.numRuns ?? 100, cap) });
  const assert = ((property: Parameters<typeof fc.assert>[0], params?: Params) =>
    fc.assert(property, capped(params))) as typeof fc.assert;
  return { ...fc, assert, default: { ...fc.default, assert } };
});
