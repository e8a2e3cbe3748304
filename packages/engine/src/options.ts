/**
 * Model and scoring options. Defaults are robust choices tuned once on validation splits carved
 * from the training part of the benchmark datasets (see docs/benchmarks-quality.md), not per shop.
 */
export interface ModelOptions {
  /** V-STAN: number of neighbour sessions */
  neighbours: number;
  /** V-STAN: most recent sessions read per item of the current session (the "sample") */
  postingsCap: number;
  /** V-STAN λ_spw: decay (in positions) of the weight of older items of the current session */
  lambdaSpw: number;
  /** V-STAN λ_snh: decay (in days) of the weight of older neighbour sessions */
  lambdaSnhDays: number;
  /** V-STAN λ_inh: decay (in positions) of a candidate's distance to the shared item in a neighbour */
  lambdaInh: number;
  /** exponent of the IDF weight of shared items in the session similarity (0 = off) */
  idfExponent: number;
  /** current-session items considered (the most recent ones) */
  maxSessionItems: number;
  /** sequential rules: window (in steps) of transitions i -> j, weighted 1/gap */
  srWindow: number;
  /** sequential rules: most recent sessions read for the last item */
  srCap: number;
  /** blend weight of sequential rules beside V-STAN (both max-normalised) */
  srWeight: number;
  /** blend weight of second-order sequential rules (what followed the last two items), 0 = off */
  sr2Weight: number;
  /**
   * blend weight of the last item's neighbours (cosine co-occurrence in the rules' sessions) in
   * the explore ranking; the fixed blend (no fitted mixture) leaves them out when 0
   */
  knnWeight: number;
  /** most recent sessions of the last item read for its neighbours */
  knnCap: number;
  /**
   * blend weight of re-showing items of the current session (S-POP-like reminder) while no
   * calibrated repeat/explore mixture is available (see `fusionPrefixes`)
   */
  remindWeight: number;
  /**
   * repeat/explore mixture: prefixes of the most recent learned sessions on which the refresh
   * measures how likely the next item is a session item or the k-th explore candidate (0 = off)
   */
  fusionPrefixes: number;
  /** the mixture is used only when at least this many calibration prefixes were available */
  fusionMinPrefixes: number;
  /** trending: half-life in days of the popularity decay */
  trendingHalfLifeDays: number;
  /**
   * level >= 2: half-life in days of the "popular now" part blended beside a history (shorter than
   * the trending list's: beside a history it stands for what is in season right now)
   */
  blendTrendingHalfLifeDays: number;
  /** EASE regularisation λ (Steck, WWW 2019), when the derived model is EASE (see `easeMaxItems`) */
  easeLambda: number;
  /**
   * The derived item-item model is a dense EASE solve (O(n³)) when the items with at least
   * `cfMinBuyers` buyers number at most this many, sparse co-purchase neighbours otherwise
   * (0 = always sparse)
   */
  easeMaxItems: number;
  /** derived model: minimum number of buyers for an item to get a row */
  cfMinBuyers: number;
  /** derived model: neighbours kept per row (sparse top-K, so a level-2 query is O(history × K)) */
  cfNeighbours: number;
  /** sparse rows: a buyer's weight is (distinct items they bought)^-α */
  cfAlpha: number;
  /** sparse rows: a candidate's weight is divided by its popularity (sessions it was bought in)^β */
  cfBeta: number;
  /** sparse rows: a row is divided by (its item's buyers)^γ */
  cfRowExponent: number;
  /** history: decay (days) of own purchases in the repurchase score */
  ownDecayDays: number;
  /**
   * history: the own-purchase score is multiplied by the item's repurchase propensity (Laplace-
   * smoothed share of its buyers who bought it on two or more days) raised to this power (0 = off)
   */
  ownRepeatExponent: number;
  /**
   * history: in "goes with what you bought" each bought item's row is weighted by its number of
   * purchase days raised to this power (0 = every bought item weighs 1, 1 = proportional)
   */
  cfDayExponent: number;
  /** history: with `cfDayExponent` > 0, purchase days count exp(-age/τ) with this τ in days (0 = 1 each) */
  cfDecayDays: number;
  /** blend weights of the for-you score at level >= 2 (each part max-normalised) */
  weightSession: number;
  /** level >= 2: most recent sessions read per session item by the (blended) session part */
  blendSessionCap: number;
  weightOwn: number;
  weightCf: number;
  /** level >= 2: weight of what is popular now beside the history (seasonal and new items) */
  weightTrending: number;
  /** level 3: weight of the predicted repurchase probability */
  weightPredicted: number;
  /** horizon (days) of repurchase predictions */
  horizonDays: number;
  /**
   * an item the subject bought comes back in for_you (and scores in the own-purchase and predicted
   * parts) only if someone bought it on two different days and the chance of buying it again within
   * the horizon is at least this (`repurchaseDue` in score/repeat.ts)
   */
  repurchaseMinProbability: number;
}

export const defaultOptions: Readonly<ModelOptions> = {
  neighbours: 100,
  postingsCap: 500,
  lambdaSpw: 4,
  lambdaSnhDays: 60,
  lambdaInh: 8,
  idfExponent: 1,
  maxSessionItems: 20,
  srWindow: 3,
  srCap: 500,
  srWeight: 0.1,
  sr2Weight: 0,
  knnWeight: 0,
  knnCap: 500,
  remindWeight: 0.5,
  fusionPrefixes: 10_000,
  fusionMinPrefixes: 500,
  trendingHalfLifeDays: 7,
  blendTrendingHalfLifeDays: 3.5,
  easeLambda: 300,
  easeMaxItems: 4000,
  cfMinBuyers: 2,
  cfNeighbours: 100,
  cfAlpha: 1,
  cfBeta: 0.75,
  cfRowExponent: 0,
  ownDecayDays: 120,
  ownRepeatExponent: 0.5,
  cfDayExponent: 1,
  cfDecayDays: 0,
  weightSession: 0.25,
  blendSessionCap: 10,
  weightOwn: 1,
  weightCf: 0.75,
  weightTrending: 0.75,
  weightPredicted: 1,
  horizonDays: 90,
  repurchaseMinProbability: 0.02,
};
