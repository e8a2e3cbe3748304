/** Ids per `in (…)` list, and items per multi-row insert (9 parameters each): far below both dialects' limits. */
const CHUNK = 1000;

export function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}
