import { compileFilter } from './filters';
import type { Models } from './models/models';
import { compareIds } from './models/popularity';
import { reasonsFor } from './reasons';
import { cartOf, type Scope, scopeOf } from './scope';
import { type Board, boardFor, COMPONENTS, Comp } from './score/board';
import { purchasesOf, scoreHistory, scorePredicted } from './score/history';
import { type Anchor, scoreCoPurchase, scoreSimilar } from './score/items';
import { notDue } from './score/repeat';
import { scoreSession } from './score/session';
import type { Reason, Recommended, RecommendRequest, RecommendResult } from './types';

/** Weight of the session's influence when it re-ranks a non-personal scenario. */
const SESSION_NUDGE = 0.3;
/** Trending items blended into personal scores. */
const TRENDING_CANDIDATES = 100;

/**
 * Answers one recommendation request. Everything personal comes from `req.view` through
 * `scopeOf`, so level 0 answers depend only on the page, the models and the time.
 */
export function recommend(models: Models, req: RecommendRequest): RecommendResult {
  const scope = scopeOf(models, req.view);
  const board = boardFor(models);
  board.begin();
  const page = req.itemId === undefined ? undefined : models.items.idx(req.itemId);
  const base = { scenario: req.scenario, level: scope.level };
  const limit = Math.max(0, Math.floor(req.limit));

  if (req.scenario === 'rank') {
    forYou(models, board, scope, req.now);
    return { ...base, items: rankGiven(models, board, scope, req.items ?? [], req.now) };
  }

  const keep = compileFilter(models, req.filters);
  let exclude: (item: number) => boolean = () => false;
  let require: Comp | null = null;
  switch (req.scenario) {
    case 'trending':
      break;
    case 'similar':
      if (page !== undefined) {
        scoreSimilar(models, board, page, 1);
        scoreSession(models, board, scope, req.now, SESSION_NUDGE);
        require = Comp.Similar;
        const held = notDue(models, purchasesOf(scope), req.now);
        exclude = (item) => item === page || held.has(item);
      }
      break;
    case 'bought_together': {
      const anchors = cartAnchors(scope);
      if (page !== undefined) anchors.push({ item: page, source: -1, weight: 1 });
      scoreCoPurchase(models, board, anchors, true);
      const own = new Set(anchors.map((a) => a.item));
      exclude = (item) => own.has(item);
      break;
    }
    case 'for_you': {
      // What the subject bought and is not due to buy again does not come back at all.
      const held = forYou(models, board, scope, req.now);
      if (held.size > 0) exclude = (item) => held.has(item);
      break;
    }
    case 'next_best_offer': {
      // Complements of what is in the cart, was bought in the session or (level 2) before,
      // nudged by the session; never what is already in the cart.
      // What was bought and is not due to be bought again is no offer either.
      const anchors = cartAnchors(scope);
      const bought = purchasesOf(scope);
      for (const [item, e] of bought.lastEvent) anchors.push({ item, source: e, weight: 1 });
      if (page !== undefined) anchors.push({ item: page, source: -1, weight: 1 });
      scoreCoPurchase(models, board, anchors, true);
      scoreSession(models, board, scope, req.now, SESSION_NUDGE);
      const cart = new Set(cartAnchors(scope).map((a) => a.item));
      const held = notDue(models, bought, req.now);
      exclude = (item) => cart.has(item) || item === page || held.has(item);
      break;
    }
  }
  const picked = selectTop(models, board, limit, (item) => keep(item) && !exclude(item), require);
  const items = picked.map((item) => toRecommended(models, board, scope, item, req.itemId));
  if (items.length < limit) {
    const chosen = new Set(picked);
    const { ranked, score } = models.popularity.trending(
      req.now,
      models.options.trendingHalfLifeDays,
      models.items.ids,
    );
    const top = ranked.length > 0 ? score[ranked[0]!]! : 1;
    for (let r = 0; r < ranked.length && items.length < limit; r++) {
      const item = ranked[r]!;
      if (chosen.has(item) || !keep(item) || exclude(item)) continue;
      items.push({ id: models.items.ids[item]!, score: score[item]! / top, reasons: [popularNow()] });
    }
  }
  return { ...base, items };
}

function popularNow(): Reason {
  return nonPersonal('popular_now');
}

function nonPersonal(kind: 'popular_now' | 'shop_order'): Reason {
  return {
    kind,
    category: null,
    purpose: null,
    evidence: { items: [], times: [] },
    weight: 1,
  };
}

/**
 * The personal blend: session (level 1+), own purchases and what goes with them (2+), predictions
 * (3). Returns the items the subject bought whose repurchase is not due (`repurchaseDue`).
 */
function forYou(models: Models, board: Board, scope: Scope, now: number): ReadonlySet<number> {
  if (scope.level === 0) return NONE;
  const o = models.options;
  const bought = purchasesOf(scope);
  bought.held = notDue(models, bought, now);
  if (scope.level < 2) {
    scoreSession(models, board, scope, now, 1);
    return bought.held;
  }
  // Beside a history the session is one signal of several: a smaller sample of neighbours suffices.
  scoreSession(models, board, scope, now, o.weightSession, o.blendSessionCap);
  scoreHistory(models, board, bought, now);
  // What is in season now, beside a long history (at level 1 the session alone is the sharper signal).
  if (o.weightTrending > 0) {
    const { ranked, score } = models.popularity.trending(now, o.blendTrendingHalfLifeDays, models.items.ids);
    board.beginRaw();
    for (let r = 0; r < Math.min(TRENDING_CANDIDATES, ranked.length); r++)
      board.addRaw(ranked[r]!, score[ranked[r]!]!, -1);
    board.merge(Comp.Popular, o.weightTrending);
  }
  if (scope.predictions) scorePredicted(models, board, bought, now);
  return bought.held;
}

const NONE: ReadonlySet<number> = new Set();

function cartAnchors(scope: Scope): Anchor[] {
  return cartOf(scope)
    .map((e) => ({ item: scope.events[e]!.item, source: e, weight: 1 }))
    .filter((a) => a.item >= 0);
}

/** The `limit` best candidates passing `keep`, by score and then id (deterministic for equal states). */
function selectTop(
  models: Models,
  board: Board,
  limit: number,
  keep: (item: number) => boolean,
  require: Comp | null,
): number[] {
  if (limit === 0) return [];
  const ids = models.items.ids;
  const top: number[] = [];
  const better = (a: number, b: number) => {
    const d = board.total[a]! - board.total[b]!;
    return d > 0 || (d === 0 && compareIds(ids[a]!, ids[b]!) < 0);
  };
  for (let i = 0; i < board.candSize; i++) {
    const item = board.cand[i]!;
    if (top.length === limit && !better(item, top[limit - 1]!)) continue;
    if (require !== null && board.contrib[item * COMPONENTS + require]! <= 0) continue;
    if (!keep(item)) continue;
    if (top.length < limit) top.push(item);
    else top[limit - 1] = item;
    for (let at = top.length - 1; at > 0 && better(top[at]!, top[at - 1]!); at--) {
      const t = top[at]!;
      top[at] = top[at - 1]!;
      top[at - 1] = t;
    }
  }
  return top;
}

function toRecommended(
  models: Models,
  board: Board,
  scope: Scope,
  item: number,
  page: string | undefined,
): Recommended {
  const total = board.total[item]!;
  return {
    id: models.items.ids[item]!,
    score: total,
    reasons: reasonsFor(board.contrib, board.src, item, total, scope, models.items.ids, page),
  };
}

/**
 * 'rank': exactly the given items, by personal score, then by trending popularity; ids the
 * models do not know keep their order at the end. Every item carries at least one reason: its
 * personal ones, else "popular now" when trending popularity placed it, else "shop_order" (nothing
 * personal applies; it follows in the order given).
 */
function rankGiven(
  models: Models,
  board: Board,
  scope: Scope,
  given: readonly string[],
  now: number,
): Recommended[] {
  const { score: pop } = models.popularity.trending(
    now,
    models.options.trendingHalfLifeDays,
    models.items.ids,
  );
  const known: { id: string; item: number; at: number }[] = [];
  const unknown: Recommended[] = [];
  given.forEach((id, at) => {
    const item = models.items.idx(id);
    if (item === undefined) unknown.push({ id, score: 0, reasons: [nonPersonal('shop_order')] });
    else known.push({ id, item, at });
  });
  const personal = (item: number) => (board.has(item) ? board.total[item]! : 0);
  known.sort(
    (a, b) => personal(b.item) - personal(a.item) || (pop[b.item] ?? 0) - (pop[a.item] ?? 0) || a.at - b.at,
  );
  const ranked = known.map(({ id, item }) =>
    board.has(item)
      ? toRecommended(models, board, scope, item, undefined)
      : { id, score: 0, reasons: [(pop[item] ?? 0) > 0 ? popularNow() : nonPersonal('shop_order')] },
  );
  return [...ranked, ...unknown];
}
