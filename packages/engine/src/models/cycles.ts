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
  const own: number[] = [];
  for (let i = 1; i < k; i++) own.push(days[i]! - days[i - 1]!);
  const base = Math.max((cycle.repeaters + 1) / (cycle.buyers + 2), 1 - 1 / k);
  const t = Math.max(0, today - days[k - 1]!);
  const ownW = 3;
  const total = cycle.gaps.length + ownW * own.length;
  if (total === 0) return base * (horizon / (horizon + 365));
  const mixed = (x: number) => {
    let n = cdf(cycle.gaps, x) * cycle.gaps.length;
    for (const g of own) if (g <= x) n += ownW;
    return n / total;
  };
  const ft = mixed(t);
  const survival = 1 - ft;
  // Overdue beyond every observed gap: fall back to a flat yearly rate.
  if (survival <= 1e-9) return base * (horizon / (horizon + 365));
  return (base * (mixed(t + horizon) - ft)) / survival;
}
