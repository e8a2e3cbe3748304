/** What a customer did with an item. `search` events carry the clicked result item. */
export type InteractionType = 'view' | 'add_to_cart' | 'remove_from_cart' | 'purchase' | 'search';

/** One observed interaction, tagged with the policy data category it belongs to. */
export interface Interaction {
  subject: string;
  session: string;
  item: string;
  type: InteractionType;
  /** epoch milliseconds */
  ts: number;
  quantity?: number;
  /** policy data category, e.g. 'browsing' | 'cart' | 'purchases' */
  category: string;
}

export interface CatalogItem {
  id: string;
  title: string;
  categoryPath: string[];
  price: number;
  available: boolean;
}

export type Level = 0 | 1 | 2 | 3;

/**
 * The consent-scoped view of one subject, built by a flow. Fields are populated per level:
 * level 0 nothing personal; level 1 `session`; level 2 also `history`; level 3 also `predictions`.
 * The engine additionally ignores every interaction whose category is not in `allowedCategories`
 * and every field the level does not grant.
 */
export interface SubjectView {
  subject: string;
  level: Level;
  allowedCategories: ReadonlySet<string>;
  /** data category -> id of the purpose that allowed it (shown in reasons) */
  purposeOf: Readonly<Record<string, string>>;
  /** the current session, level >= 1 */
  session: readonly Interaction[];
  /** past sessions and purchases, level >= 2 */
  history: readonly Interaction[];
  /** derived predictions about the person may be used, level 3 */
  predictions: boolean;
}

export interface Filters {
  /** category path prefix, e.g. ['Küche', 'Tee'] */
  category?: string[];
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  exclude?: string[];
}

export type Scenario = 'similar' | 'bought_together' | 'trending' | 'for_you' | 'rank' | 'next_best_offer';

export interface RecommendRequest {
  scenario: Scenario;
  view: SubjectView;
  /** the current page's item */
  itemId?: string;
  /** the list to re-rank for 'rank' */
  items?: string[];
  filters?: Filters;
  limit: number;
  /** epoch milliseconds */
  now: number;
}

export type ReasonKind =
  | 'viewed_in_session'
  | 'carted_in_session'
  | 'bought_in_session'
  | 'bought_before'
  | 'goes_with_purchase'
  | 'bought_together_with'
  | 'similar_to_current'
  | 'popular_now'
  | 'predicted_repurchase'
  /** rank only: nothing personal and no current popularity applies; the item keeps the shop's order */
  | 'shop_order';

export interface Reason {
  kind: ReasonKind;
  /** policy data category behind the evidence; null for non-personal reasons */
  category: string | null;
  /** purpose that allowed the use of that category; null for non-personal reasons */
  purpose: string | null;
  evidence: { items: string[]; times: number[] };
  /** share of the item's score this reason accounts for, 0..1 */
  weight?: number;
}

export interface Recommended {
  id: string;
  score: number;
  reasons: Reason[];
}

export interface RecommendResult {
  items: Recommended[];
  scenario: Scenario;
  level: Level;
}

/**
 * What one prediction input is: the subject's own events of one type (items viewed, put in the
 * cart, bought, clicked in search results) or the aggregate repurchase intervals of an item's buyers.
 */
export type PredictionInputKind = 'viewed' | 'carted' | 'bought' | 'searched' | 'repurchase_intervals';

export interface PredictionInput {
  kind: PredictionInputKind;
  /** policy data category of the subject's own data, or null for aggregate (non-personal) inputs */
  category: string | null;
  /** for 'repurchase_intervals': how many buyers the aggregate covers */
  buyers?: number;
  items: string[];
  times: number[];
}

export type Prediction =
  | {
      kind: 'repurchase';
      item: string;
      /** probability of buying the item again within `horizonDays` */
      probability: number;
      horizonDays: number;
      inputs: PredictionInput[];
    }
  | {
      kind: 'next_category';
      category: string[];
      probability: number;
      inputs: PredictionInput[];
    }
  | {
      kind: 'purchase_propensity';
      /** probability that the current visit ends in a purchase */
      probability: number;
      inputs: PredictionInput[];
    };
