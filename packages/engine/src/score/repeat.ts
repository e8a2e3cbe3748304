import { type ItemCycle, itemCycle, repurchaseProbability } from '../models/cycles';
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
  return { due: isDue(models, cycle, days, probability), probability };
}

/** The rule of `repurchaseDue` given the item's cycle and the probability computed from it. */
function isDue(models: Models, cycle: ItemCycle, days: readonly number[], probability: number): boolean {
  const repeated = cycle.repeaters > 0 || days.length > 1;
  return repeated && probability >= models.options.repurchaseMinProbability;
}

/**
 * The subject's bought items whose repurchase is not due now (see `repurchaseDue`); records each
 * item's probability in `bought.probability` so that the predicted part does not compute it again.
 */
export function notDue(models: Models, bought: Purchases, now: number): Set<number> {
  const today = Math.floor(now / DAY_MS);
  const horizon = models.options.horizonDays;
  const out = new Set<number>();
  const probability = new Map<number, number>();
  for (const item of bought.items) {
    const days = bought.days.get(item)!;
    const cycle = itemCycle(models, item);
    const p = repurchaseProbability(cycle, days, today, horizon);
    probability.set(item, p);
    if (!isDue(models, cycle, days, p)) out.add(item);
  }
  bought.probability = probability;
  return out;
}
