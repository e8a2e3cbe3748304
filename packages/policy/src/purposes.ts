import { PolicyError } from './errors';
import type { Policy } from './schema';

/**
 * Every purpose the code checks. A shop's policy must declare each of them; otherwise the
 * service refuses to start (a purpose used but not declared would be a silent leak).
 *
 * - `session_personalization` (level 1): the current visit's views, searches and cart.
 * - `history_personalization` (level 2): purchases and past visits.
 * - `aggregate_models` (level 2): the subject's views, cart and purchases count towards
 *   shared models (popular, viewed/bought together). Its own purpose so that model builds
 *   check it explicitly, and at level 2 because level-1 data ends with the session — a
 *   durable model cannot honestly be built from it.
 * - `predictions` (level 3): derived predictions about the person (profiling).
 * - `email_offers`, `offers_near_me`: separate switches beside the dial (direct marketing, O3).
 */
export const CODE_PURPOSES = [
  'session_personalization',
  'history_personalization',
  'aggregate_models',
  'predictions',
  'email_offers',
  'offers_near_me',
] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

/** Throws a PolicyError naming the first purpose used in code that the policy does not declare. */
export function assertPurposesDeclared(policy: Policy, used: readonly string[], source: string): void {
  for (const id of used) {
    if (!Object.hasOwn(policy.purposes, id)) {
      throw new PolicyError(source, `purposes.${id}`, `purpose "${id}" is used by the code but not declared`);
    }
  }
}
