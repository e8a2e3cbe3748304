export const DAY_MS = 86_400_000;

/** Integer weight of each event type code in popularity (view, cart, purchase, search). */
const TYPE_WEIGHT: readonly number[] = [1, 2, 3, 1];

/**
 * Popularity as integer counts per item and day bucket. Time decay is applied at query time
 * (never accumulated into floats), so adding and removing events is exact.
 */
export class Popularity {
  private readonly days: (Map<number, number> | undefined)[] = [];
  /** one cached ranking per half-life (a query may read two: the blend's and the trending list's) */
  private readonly cache = new Map<
    number,
    { version: number; day: number; ranked: Int32Array; score: Float64Array }
  >();
  private version = 0;

  add(item: number, ts: number, type: number, sign: 1 | -1): void {
    const weight = TYPE_WEIGHT[type] ?? 0;
    if (weight === 0) return;
    while (this.days.length <= item) this.days.push(undefined);
    let counts = this.days[item];
    if (!counts) {
      counts = new Map();
      this.days[item] = counts;
    }
    const day = Math.floor(ts / DAY_MS);
    const next = (counts.get(day) ?? 0) + sign * weight;
    if (next === 0) counts.delete(day);
    else counts.set(day, next);
    this.version++;
  }

  /**
   * Items ranked by decayed popularity at `now`: Σ_days count · 2^(-age/halfLife), age in whole days;
   * days after `now` do not count. Cached per model version and day.
   */
  trending(
    now: number,
    halfLifeDays: number,
    ids: readonly string[],
  ): { ranked: Int32Array; score: Float64Array } {
    const today = Math.floor(now / DAY_MS);
    const c = this.cache.get(halfLifeDays);
    if (c && c.version === this.version && c.day === today) return c;
    const score = new Float64Array(this.days.length);
    const order: number[] = [];
    for (let item = 0; item < this.days.length; item++) {
      const counts = this.days[item];
      if (!counts || counts.size === 0) continue;
      let s = 0;
      for (const [day, n] of counts) if (day <= today) s += n * 2 ** (-(today - day) / halfLifeDays);
      score[item] = s;
      order.push(item);
    }
    order.sort((a, b) => score[b]! - score[a]! || compareIds(ids[a]!, ids[b]!));
    const ranked = Int32Array.from(order);
    const entry = { version: this.version, day: today, ranked, score };
    if (!c && this.cache.size >= 4) this.cache.clear();
    this.cache.set(halfLifeDays, entry);
    return entry;
  }

  canonicalLines(ids: readonly string[]): string[] {
    const lines: string[] = [];
    for (let item = 0; item < this.days.length; item++) {
      const counts = this.days[item];
      if (!counts || counts.size === 0) continue;
      const parts = [...counts].sort((a, b) => a[0] - b[0]).map(([d, n]) => `${d}:${n}`);
      lines.push(`t|${ids[item]}|${parts.join(',')}`);
    }
    return lines.sort();
  }
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
