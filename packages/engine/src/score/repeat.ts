import { itemCycle, repurchaseProbability } from '../models/cycles';
import type { Models } from '../models/models';
import { DAY_MS } from '../models/popularity';
import type { Purchases } from './history';

/**
 * Whether the observed repurchase cycle of an item supports suggesting it again to a subject who
 * bought it on `days` (distinct purchase days, ascending), on day `today`. Both must hold:
 * - someone bought it on two different days: another buyer (aggregate) or the subject;
 * - the chance of buying it again within the horizon, `repurchaseProbability` (the Laplace-smoothed
 *   share of its buyers who bought it on two or more days, times the chance that the next gap,
 *   given the time since the last purchase, ends within the horizon) is at least
 *   `repurchaseMinProbability`. An item bought too recently for its cycle (every observed gap longer
 *   than the time since plus the horizon) has chance 0; one that almost nobody re-buys stays below
 *   it (n buyers, no repeat: at most 1/(n + 2) · H/(H + 365)).
 */
export function repurchaseDue(
  models: Models,
  item: number,
  days: readonly number[],
  today: number,
): { due: boolean; probability: number } {
  const cycle = itemCycle(models, item);
  const probability = repurchaseProbability(cycle, days, today, models.options.horizonDays);
  const repeated = cycle.repeaters > 0 || days.length > 1;
  return { due: repeated && probability >= models.options.repurchaseMinProbability, probability };
}

/**
 * The subject's bought items whose repurchase is not due now (see `repurchaseDue`); records each
 * item's probability in `bought.probability` so that the predicted part does not compute it again.
 */
export function notDue(models: Models, bought: Purchases, now: number): Set<number> {
  const today = Math.floor(now / DAY_MS);
  const out = new Set<number>();
  const probability = new Map<number, number>();
  for (const item of bought.items) {
    const r = repurchaseDue(models, item, bought.days.get(item)!, today);
    probability.set(item, r.probability);
    if (!r.due) out.add(item);
  }
  bought.probability = probability;
  return out;
}
