export const DAY_MS = 86_400_000;

/** Integer weight of each event type code in popularity (view, cart, purchase, search). */
const TYPE_WEIGHT: readonly number[] = [1, 2, 3, 1];

interface Ranking {
  day: number;
  /** items with counts, by score (descending) then id */
  ranked: Int32Array;
  size: number;
  /** item -> its index in `ranked`, or -1 */
  pos: Int32Array;
  score: Float64Array;
  /** how far into the change log this ranking is up to date */
  logAt: number;
}

/** Changes logged beyond this many since the oldest cached ranking: rankings are recomputed whole. */
const MAX_LOG = 65_536;

/**
 * Popularity as integer counts per item and day bucket. Time decay is applied at query time
 * (never accumulated into floats), so adding and removing events is exact.
 */
export class Popularity {
  private readonly days: (Map<number, number> | undefined)[] = [];
  /** one cached ranking per half-life (a query may read two: the blend's and the trending list's) */
  private readonly cache = new Map<number, Ranking>();
  /** items whose counts changed since `logBase`, for the cached rankings to catch up on */
  private log: number[] = [];
  private logBase = 0;

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
    if (this.cache.size === 0) return;
    this.log.push(item);
    if (this.log.length > MAX_LOG) {
      this.cache.clear();
      this.logBase += this.log.length;
      this.log = [];
    }
  }

  /** Σ_days count · 2^(-age/halfLife) over days up to `today`, summed in day order. */
  private scoreOf(item: number, today: number, halfLifeDays: number): number {
    const counts = this.days[item];
    if (!counts || counts.size === 0) return 0;
    const decay = this.decayTable(halfLifeDays);
    if (counts.size === 1) {
      for (const [day, n] of counts) return day <= today ? n * decayOf(decay, today - day, halfLifeDays) : 0;
    }
    const keys = this.keys;
    keys.length = 0;
    for (const day of counts.keys()) keys.push(day);
    keys.sort((a, b) => a - b);
    let s = 0;
    for (const day of keys)
      if (day <= today) s += counts.get(day)! * decayOf(decay, today - day, halfLifeDays);
    return s;
  }

  private readonly keys: number[] = [];
  private readonly decayTables = new Map<number, Float64Array>();

  /** 2^(-age/halfLife) for ages 0..1099 days (the same values the expression gives). */
  private decayTable(halfLifeDays: number): Float64Array {
    let table = this.decayTables.get(halfLifeDays);
    if (!table) {
      table = new Float64Array(1100);
      for (let age = 0; age < table.length; age++) table[age] = 2 ** (-age / halfLifeDays);
      if (this.decayTables.size >= 8) this.decayTables.clear();
      this.decayTables.set(halfLifeDays, table);
    }
    return table;
  }

  /**
   * Items ranked by decayed popularity at `now`: Σ_days count · 2^(-age/halfLife), age in whole days;
   * days after `now` do not count; ties by id. Computed once per day and half-life; afterwards
   * only the items whose counts changed are rescored and moved, so the ranking always equals a
   * fresh computation over the current counts.
   */
  trending(
    now: number,
    halfLifeDays: number,
    ids: readonly string[],
  ): { ranked: Int32Array; score: Float64Array } {
    const today = Math.floor(now / DAY_MS);
    let r = this.cache.get(halfLifeDays);
    if (r && r.day === today) this.catchUp(r, halfLifeDays, ids);
    else {
      r = this.rank(today, halfLifeDays, ids);
      if (this.cache.size >= 4) this.cache.clear();
      this.cache.set(halfLifeDays, r);
    }
    // Drop what every cached ranking has read.
    let oldest = this.logBase + this.log.length;
    for (const c of this.cache.values()) oldest = Math.min(oldest, c.logAt);
    if (oldest > this.logBase) {
      this.log = this.log.slice(oldest - this.logBase);
      this.logBase = oldest;
    }
    return { ranked: r.ranked.subarray(0, r.size), score: r.score };
  }

  private rank(today: number, halfLifeDays: number, ids: readonly string[]): Ranking {
    const n = this.days.length;
    const score = new Float64Array(Math.max(n, 1024));
    const order: number[] = [];
    for (let item = 0; item < n; item++) {
      const counts = this.days[item];
      if (!counts || counts.size === 0) continue;
      score[item] = this.scoreOf(item, today, halfLifeDays);
      order.push(item);
    }
    order.sort((a, b) => score[b]! - score[a]! || compareIds(ids[a]!, ids[b]!));
    const ranked = new Int32Array(score.length);
    ranked.set(order);
    const pos = new Int32Array(score.length).fill(-1);
    order.forEach((item, at) => {
      pos[item] = at;
    });
    return { day: today, ranked, size: order.length, pos, score, logAt: this.logBase + this.log.length };
  }

  /** Rescores the items changed since the ranking was last up to date and moves them into place. */
  private catchUp(r: Ranking, halfLifeDays: number, ids: readonly string[]): void {
    const end = this.logBase + this.log.length;
    if (r.logAt === end) return;
    const seen = new Set<number>();
    for (let at = r.logAt; at < end; at++) {
      const item = this.log[at - this.logBase]!;
      if (seen.has(item)) continue;
      seen.add(item);
      if (item >= r.pos.length) grow(r, Math.max(item + 1, r.pos.length * 2));
      const from = r.pos[item]!;
      const counts = this.days[item];
      if (!counts || counts.size === 0) {
        // Out of the ranking.
        r.score[item] = 0;
        if (from < 0) continue;
        r.ranked.copyWithin(from, from + 1, r.size);
        r.size--;
        r.pos[item] = -1;
        for (let k = from; k < r.size; k++) r.pos[r.ranked[k]!] = k;
        continue;
      }
      const s = this.scoreOf(item, r.day, halfLifeDays);
      r.score[item] = s;
      // Its place among the others (the array without the item itself).
      const others = from < 0 ? r.size : r.size - 1;
      let lo = 0;
      let hi = others;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const other = r.ranked[from >= 0 && mid >= from ? mid + 1 : mid]!;
        const before =
          r.score[other]! > s || (r.score[other] === s && compareIds(ids[other]!, ids[item]!) < 0);
        if (before) lo = mid + 1;
        else hi = mid;
      }
      const to = lo;
      if (from < 0) {
        r.ranked.copyWithin(to + 1, to, r.size);
        r.ranked[to] = item;
        r.size++;
        for (let k = to; k < r.size; k++) r.pos[r.ranked[k]!] = k;
      } else if (to < from) {
        r.ranked.copyWithin(to + 1, to, from);
        r.ranked[to] = item;
        for (let k = to; k <= from; k++) r.pos[r.ranked[k]!] = k;
      } else if (to > from) {
        r.ranked.copyWithin(from, from + 1, to + 1);
        r.ranked[to] = item;
        for (let k = from; k <= to; k++) r.pos[r.ranked[k]!] = k;
      }
    }
    r.logAt = end;
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

function decayOf(table: Float64Array, age: number, halfLifeDays: number): number {
  return age < table.length ? table[age]! : 2 ** (-age / halfLifeDays);
}

function grow(r: Ranking, n: number): void {
  const ranked = new Int32Array(n);
  ranked.set(r.ranked);
  const pos = new Int32Array(n).fill(-1);
  pos.set(r.pos);
  const score = new Float64Array(n);
  score.set(r.score);
  r.ranked = ranked;
  r.pos = pos;
  r.score = score;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
