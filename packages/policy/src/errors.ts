/**
 * A policy that cannot be used. The message always reads `<file>: <path>: <problem>`, so a
 * merchant sees at once which file, which entry and what is wrong.
 */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly file: string;
  /** Where in the policy, e.g. `purposes.recommendations.categories[1]` (empty for the whole file). */
  readonly path: string;
  readonly problem: string;

  constructor(file: string, path: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${path === '' ? '(file)' : path}: ${problem}`, options);
    this.file = file;
    this.path = path;
    this.problem = problem;
  }
}

/** Checks by name, not `instanceof`, so copies of the package still match. */
export function isPolicyError(e: unknown): e is PolicyError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'PolicyError';
}
