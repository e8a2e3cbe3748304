import { z } from 'zod';
import { ITEM_ID } from './catalog';
import type { Level } from './consent';
import { SubjectId } from './events';
import { Language } from './language';
import { text } from './text';

export const SCENARIOS = [
  'similar',
  'bought_together',
  'trending',
  'for_you',
  'rank',
  'next_best_offer',
] as const;

const commaList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',').filter((s) => s.length > 0)));

export const RecommendationQuery = z.object({
  scenario: z.enum(SCENARIOS).default('for_you'),
  subject_id: SubjectId.optional(),
  session_id: text().min(1).max(128).optional(),
  item_id: ITEM_ID.optional(),
  items: commaList.pipe(z.array(ITEM_ID).max(500)).optional(),
  category: commaList.pipe(z.array(text().min(1).max(100)).max(10)).optional(),
  min_price: z.coerce.number().finite().nonnegative().optional(),
  max_price: z.coerce.number().finite().nonnegative().optional(),
  in_stock: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .optional(),
  exclude: commaList.pipe(z.array(ITEM_ID).max(500)).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  language: Language.default('de'),
  /** T4: ask for non-profiled results whatever the consent level. */
  non_personalized: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
});
export type RecommendationQuery = z.infer<typeof RecommendationQuery>;

export const RankRequest = RecommendationQuery.omit({ scenario: true, items: true }).extend({
  items: z.array(ITEM_ID).min(1, 'send the list of item ids to rank').max(500),
});
export type RankRequest = z.infer<typeof RankRequest>;

export const PredictionQuery = z.object({
  subject_id: SubjectId,
  session_id: text().min(1).max(128).optional(),
  language: Language.default('de'),
});
export type PredictionQuery = z.infer<typeof PredictionQuery>;

// Responses (what the API answers; the SDK and the customer pages read these).

/**
 * Why an item is shown: the kind of reason, the data category and purpose it rests on, its evidence
 * and text. Every item of every answer has at least one. Non-personal kinds (category null):
 * `popular_now`, `similar_to_current`, `bought_together_with` (for the page item) and, in `rank` only,
 * `shop_order` — nothing personal and no current popularity applies, the item follows in the order given.
 */
export interface ReasonOut {
  kind: string;
  category: string | null;
  purpose: string | null;
  /** The customer's own data points behind it: item ids, their titles (null if not in the catalog), when. */
  evidence: { items: string[]; titles: Array<string | null>; times: string[] };
  text: string;
}

export interface RecommendationOut {
  id: string;
  title: string | null;
  price: number | null;
  category_path: string[];
  available: boolean | null;
  score: number;
  reasons: ReasonOut[];
}

/** `GET|POST /v1/recommendations`, `POST /v1/rank`. */
export interface RecommendationResponse {
  scenario: string;
  /** The level the answer was computed at (0 = non-personal). */
  level: Level;
  /** Some item is there because of the customer's own data (a reason with a data category). */
  personalized: boolean;
  /** T4: the same request with `non_personalized=true` gives non-profiled results. */
  non_personalized_available: true;
  items: RecommendationOut[];
}

/** What one prediction input is: the subject's events of one type, or an aggregate over all buyers. */
export type PredictionInputKind = 'viewed' | 'carted' | 'bought' | 'searched' | 'repurchase_intervals';

export interface PredictionOut {
  kind: 'repurchase' | 'next_category' | 'purchase_propensity';
  probability: number;
  item?: { id: string; title: string | null };
  category?: string[];
  horizon_days?: number;
  /**
   * What the prediction rests on, one input per event type (viewed, put in the cart, bought,
   * clicked in search results) or aggregate: `label` says which in the request's language, `category`
   * the data category (null for aggregate inputs).
   */
  inputs: Array<{
    kind: PredictionInputKind;
    label: string;
    category: string | null;
    category_label: string | null;
    items: string[];
    times: string[];
  }>;
  /** The prediction in words whose strength matches the probability (unlikely, possible, likely, very likely). */
  text: string;
}

/** `GET /v1/subjects/{id}/predictions`: level-3 predictions with their inputs (R7). */
export interface PredictionsResponse {
  subject_id: string;
  level: number;
  predictions: PredictionOut[];
}

/**
 * `GET /v1/neighbours`: the item-neighbour table for on-device ranking. Non-personal: for each
 * item, the answer the `similar` scenario gives anyone (items seen together in the sessions of
 * customers who allowed shared models), with its score.
 */
export interface NeighboursResponse {
  /** The items the table covers, most popular first (the order breaks ties on the device). */
  items: string[];
  /** Per item: its neighbours and a weight ≥ 0, best first. */
  neighbours: Record<string, Array<[string, number]>>;
  /** When the table was computed; it is cached for a few minutes. */
  generated_at: string;
}
