import type { ItemCycle } from './derived';
import type { Models } from './models';

export type { ItemCycle } from './derived';

/**
 * Repurchase statistics of one item over all its buyers (distinct buyers, buyers who bought it
 * on two or more days, the sorted gaps between their purchase days), as of the current state.
 * Precomputed with the derived model and kept per item until that item's purchases change, so a
 * busy shop's other events do not make it recompute.
 */
export function itemCycle(models: Models, item: number): ItemCycle {
  return models.itemCycle(item);
}

/** Share of sorted values ≤ x. */
function cdf(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length === 0 ? 0 : lo / sorted.length;
}

/**
 * Probability that a subject who bought the item on `days` (distinct purchase days, ascending)
 * buys it again within `horizon` days after `today`:
 *   P = P(repeat) · (F(t + H) − F(t)) / (1 − F(t)),
 * t = days since the last purchase, F the empirical distribution of gaps (the subject's own gaps
 * counted three times beside all buyers' gaps), P(repeat) the Laplace-smoothed share of buyers who
 * repeat, raised to at least 1 − 1/k for a subject who already bought it k times.
 */
export function repurchaseProbability(
  cycle: ItemCycle,
  days: readonly number[],
  today: number,
  horizon: number,
): number {
  const k = days.length;
  if (k === 0) return 0;
  const base = Math.max((cycle.repeaters + 1) / (cycle.buyers + 2), 1 - 1 / k);
  const t = Math.max(0, today - days[k - 1]!);
  const total = cycle.gaps.length + OWN_WEIGHT * (k - 1);
  if (total === 0) return base * (horizon / (horizon + 365));
  const ft = mixedCdf(cycle.gaps, days, t, total);
  const survival = 1 - ft;
  // Overdue beyond every observed gap: fall back to a flat yearly rate.
  if (survival <= 1e-9) return base * (horizon / (horizon + 365));
  return (base * (mixedCdf(cycle.gaps, days, t + horizon, total) - ft)) / survival;
}

/** Weight of each of the subject's own gaps beside all buyers' gaps. */
const OWN_WEIGHT = 3;

/**
 * The mixed gap distribution at x: all buyers' gaps and the subject's own gaps (between
 * consecutive `days`, each counted `OWN_WEIGHT` times), `total` counts in all. No allocation:
 * it runs for every bought item of every level-3 query.
 */
function mixedCdf(gaps: Float64Array, days: readonly number[], x: number, total: number): number {
  let n = cdf(gaps, x) * gaps.length;
  for (let i = 1; i < days.length; i++) if (days[i]! - days[i - 1]! <= x) n += OWN_WEIGHT;
  return n / total;
}
