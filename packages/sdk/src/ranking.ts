/**
 * On-device ranking (level 1): the browser downloads an item-neighbour table once and ranks the
 * current visit with it, so no behaviour leaves the device.
 *
 * Table shape (JSON): `{ "items": [id, …], "neighbours": { id: [[neighbourId, weight], …] } }` —
 * `items` the catalog ids the table covers (its order breaks ties), `neighbours` per item the
 * items that go with it and how strongly (weight ≥ 0, e.g. co-occurrence or cosine similarity).
 */
export interface NeighbourTable {
  items: string[];
  neighbours: Record<string, Array<[string, number]>>;
}

export interface LocalRanked {
  id: string;
  score: number;
  /** The visit's item that contributed most to the score; null when the visit did not. */
  because: string | null;
}

/** Checks a downloaded table; the error names the offending field. */
export function parseNeighbourTable(json: unknown): NeighbourTable {
  const fail = (field: string, what: string): never => {
    throw new Error(`neighbour table: ${field} ${what}`);
  };
  if (typeof json !== 'object' || json === null) return fail('(root)', 'must be an object');
  const { items, neighbours } = json as Record<string, unknown>;
  if (!Array.isArray(items)) return fail('items', 'must be an array of item ids');
  items.forEach((id, i) => {
    if (typeof id !== 'string' || id === '') fail(`items[${i}]`, 'must be a non-empty string');
  });
  if (typeof neighbours !== 'object' || neighbours === null || Array.isArray(neighbours))
    return fail('neighbours', 'must be an object of item id → [[id, weight], …]');
  for (const [id, list] of Object.entries(neighbours)) {
    if (!Array.isArray(list)) fail(`neighbours.${id}`, 'must be an array of [id, weight] pairs');
    (list as unknown[]).forEach((pair, i) => {
      const ok =
        Array.isArray(pair) &&
        pair.length === 2 &&
        typeof pair[0] === 'string' &&
        typeof pair[1] === 'number' &&
        Number.isFinite(pair[1]) &&
        pair[1] >= 0;
      if (!ok) fail(`neighbours.${id}[${i}]`, 'must be [item id, weight ≥ 0]');
    });
  }
  return json as NeighbourTable;
}

/**
 * Scores every neighbour of the visit's items. The most recent item counts fully and each
 * earlier distinct item `decay` times less (a repeated item counts at its latest position), so
 * the ranking follows what the customer looks at now.
 */
export function scoreSession(
  table: NeighbourTable,
  session: readonly string[],
  decay = 0.7,
): Map<string, { score: number; because: string; best: number }> {
  const recent: string[] = [];
  for (let i = session.length - 1; i >= 0; i--) if (!recent.includes(session[i]!)) recent.push(session[i]!);
  const out = new Map<string, { score: number; because: string; best: number }>();
  recent.forEach((source, age) => {
    const w = decay ** age;
    for (const [id, weight] of table.neighbours[source] ?? []) {
      const c = w * weight;
      if (c <= 0) continue;
      const s = out.get(id);
      if (!s) out.set(id, { score: c, because: source, best: c });
      else {
        s.score += c;
        if (c > s.best) {
          s.best = c;
          s.because = source;
        }
      }
    }
  });
  return out;
}

/**
 * Ranks for the current visit (oldest item first in `session`). With `candidates` (a category
 * page, a search result, a non-personal list from the server) it re-orders exactly those, items
 * the visit says nothing about keeping their given order after the others; without, it returns
 * the top `limit` neighbours of the visit, leaving out what the visit already holds.
 */
export function rankSession(
  table: NeighbourTable,
  session: readonly string[],
  opts: { candidates?: readonly string[]; limit?: number; exclude?: readonly string[]; decay?: number } = {},
): LocalRanked[] {
  const scores = scoreSession(table, session, opts.decay);
  const exclude = new Set(opts.exclude ?? []);
  if (opts.candidates) {
    const list = opts.candidates
      .filter((id) => !exclude.has(id))
      .map((id, index) => {
        const s = scores.get(id);
        return { id, score: s?.score ?? 0, because: s?.because ?? null, index };
      });
    list.sort((a, b) => b.score - a.score || a.index - b.index);
    return list.slice(0, opts.limit ?? list.length).map(({ id, score, because }) => ({ id, score, because }));
  }
  for (const id of session) exclude.add(id);
  const order = new Map(table.items.map((id, i) => [id, i]));
  const tie = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...scores]
    .filter(([id]) => !exclude.has(id))
    .sort(([a, x], [b, y]) => y.score - x.score || tie(a) - tie(b) || (a < b ? -1 : 1))
    .slice(0, opts.limit ?? 10)
    .map(([id, s]) => ({ id, score: s.score, because: s.because }));
}
