import { z } from 'zod';
import { ISSUE_CODES, type IssueCode, textProblem } from './text';

/**
 * Names every plain object already has: `constructor`, `toString`, `__proto__`, … A lookup
 * such as `ids[name]` or `name in ids` finds them on any object, so as data keys they would
 * be taken for declared entries (and `__proto__` cannot even be written as an own key of `{}`).
 */
export const INHERITED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  '__proto__',
]);

export const isInheritedName = (name: string): boolean => INHERITED_NAMES.has(name);

/** `record[key]` if the record has it as its own key; never an inherited member. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Why a name cannot be an object key in a payload, or undefined when it can. `__proto__` is
 * always refused: zod and plain objects drop it silently. With `inherited: true` every
 * `Object.prototype` name is refused too — for ids that the code looks up by name.
 */
export function keyProblem(
  key: string,
  opts: { inherited: boolean },
): { code: IssueCode; message: string } | undefined {
  if (key === '__proto__' || (opts.inherited && INHERITED_NAMES.has(key))) {
    return {
      code: ISSUE_CODES.reservedKey,
      message: `"${key}" is a built-in property name of every JavaScript object and cannot be used as a key here; choose another name`,
    };
  }
  const problem = textProblem(key);
  return problem === undefined ? undefined : { code: ISSUE_CODES.invalidText, message: `the key ${problem}` };
}

/**
 * A `z.record` that refuses reserved keys with an issue at the key's path (e.g.
 * `purposes.__proto__`) instead of dropping them, and refuses keys that are not storable text.
 * Its input and output types are those of `z.record(key, value)`.
 */
export function ownRecord<K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(
  key: K,
  value: V,
  opts: { inherited: boolean } = { inherited: false },
) {
  const record = z.record(key, value);
  type In = z.input<typeof record>;
  return z.preprocess<In, typeof record, In>((input, ctx) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
    for (const k of Object.keys(input)) {
      const problem = keyProblem(k, opts);
      if (problem !== undefined) {
        ctx.issues.push({
          code: 'custom',
          message: problem.message,
          input,
          path: [k],
          params: { code: problem.code },
        });
      }
    }
    return input;
  }, record);
}

/**
 * Counts names into a record without a prototype, so `constructor` or `__proto__` count like
 * any other name (on `{}`, `counts.constructor ?? 0` is a function and `+ 1` makes a string).
 */
export function countNames(
  names: Iterable<string>,
  into: Record<string, number> = Object.create(null),
): Record<string, number> {
  for (const name of names) into[name] = (Object.hasOwn(into, name) ? (into[name] as number) : 0) + 1;
  return into;
}
