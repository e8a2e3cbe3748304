import {
  type Level,
  type RankRequest,
  type RecommendationQuery,
  type RecommendationResponse,
  VitrineError,
} from '@vitrine/contracts';
import {
  type Filters,
  type Interaction,
  type Reason,
  recommend,
  renderReason,
  type SubjectView,
} from '@vitrine/engine';
import { categoriesFor, levelPurposes } from '@vitrine/policy';
import type { Deps } from '../deps';
import { toInteractions } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { excludedBy } from './correction';
import { type SubjectConsent, subjectConsent } from './subject-consent';

/** The highest level whose whole bundle of purposes is granted (a partly invalidated level counts as lower). */
function grantedLevel(rt: ShopRuntime, c: SubjectConsent): Level {
  let level: Level = 0;
  for (const l of [1, 2, 3] as const) {
    const bundle = levelPurposes(rt.compiled, l);
    if ([...bundle].every((p) => c.granted.has(p))) level = l;
  }
  return level;
}

const EMPTY: ReadonlySet<string> = new Set();
const NOTHING_EXCLUDED = (_item: string) => false;

/**
 * Builds the consent-scoped view the engine sees: only the data categories the subject's
 * current consent allows, populated per level, without what the subject asked not to be used
 * (R3). The engine never reads storage.
 */
export async function subjectView(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string | undefined,
  sessionId: string | undefined,
  nonPersonalized: boolean,
): Promise<SubjectView> {
  return (await subjectScope(deps, rt, subjectId, sessionId, nonPersonalized)).view;
}

/** The view, and the items the subject excluded ("don't use this", R3), to leave out of answers too. */
export async function subjectScope(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string | undefined,
  sessionId: string | undefined,
  nonPersonalized: boolean,
): Promise<{ view: SubjectView; excluded: (itemId: string) => boolean; excludedCategories: string[][] }> {
  const neutral: SubjectView = {
    subject: subjectId ?? 'anonymous',
    level: 0,
    allowedCategories: EMPTY,
    purposeOf: {},
    session: [],
    history: [],
    predictions: false,
  };
  const none = { view: neutral, excluded: NOTHING_EXCLUDED, excludedCategories: [] };
  if (subjectId === undefined || nonPersonalized) return none;
  const consent = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
  if (consent.paused) return none;
  const level = grantedLevel(rt, consent);
  if (level === 0) return none;
  const exclusions = await deps.store.exclusions.list(rt.shop.id, subjectId);
  const excluded = exclusions.length === 0 ? NOTHING_EXCLUDED : excludedBy(rt, exclusions);
  const allowed = categoriesFor(rt.compiled, consent.granted);
  const purposeOf: Record<string, string> = {};
  for (const l of [1, 2, 3] as const) {
    for (const p of levelPurposes(rt.compiled, l)) {
      if (!consent.granted.has(p)) continue;
      for (const c of rt.compiled.purposes.get(p)?.categories ?? []) purposeOf[c] ??= p;
    }
  }
  const shopId = rt.shop.id;
  const keep = (i: Interaction) => allowed.has(i.category) && i.subject === subjectId && !excluded(i.item);
  const session =
    sessionId !== undefined
      ? toInteractions(await deps.store.events.listForSession(shopId, subjectId, sessionId)).filter(keep)
      : [];
  const history =
    level >= 2
      ? toInteractions(await deps.store.events.listForSubject(shopId, subjectId)).filter(
          (i) => keep(i) && i.session !== sessionId,
        )
      : [];
  const view: SubjectView = {
    subject: subjectId,
    level,
    allowedCategories: allowed,
    purposeOf,
    session,
    history,
    predictions: level >= 3 && consent.granted.has('predictions'),
  };
  return { view, excluded, excludedCategories: exclusions.flatMap((x) => (x.category ? [x.category] : [])) };
}

function toFilters(q: RecommendationQuery | RankRequest): Filters {
  const f: Filters = {};
  if (q.category) f.category = q.category;
  if (q.min_price !== undefined) f.minPrice = q.min_price;
  if (q.max_price !== undefined) f.maxPrice = q.max_price;
  if (q.in_stock !== undefined) f.inStock = q.in_stock;
  if (q.exclude) f.exclude = q.exclude;
  if (f.minPrice !== undefined && f.maxPrice !== undefined && f.minPrice > f.maxPrice) {
    throw new VitrineError(
      'validation_failed',
      'min_price is greater than max_price; swap them or drop one.',
      {
        field: 'min_price',
      },
    );
  }
  return f;
}

/** "For you" on a product page never suggests the product the customer is looking at. */
function forYouOnPage(q: RecommendationQuery, f: Filters): Filters {
  if (q.scenario !== 'for_you' || q.item_id === undefined) return f;
  return { ...f, exclude: [...(f.exclude ?? []), q.item_id] };
}

/**
 * Recommendations for one scenario. `subjectId` is the subject the caller may act for (the
 * edge has checked it); without one, the answer is non-personal.
 */
export async function recommendFlow(
  deps: Deps,
  rt: ShopRuntime,
  q: RecommendationQuery,
  subjectId: string | undefined,
): Promise<RecommendationResponse> {
  if ((q.scenario === 'similar' || q.scenario === 'bought_together') && q.item_id === undefined) {
    throw new VitrineError(
      'validation_failed',
      `The scenario "${q.scenario}" needs item_id: the item the page shows.`,
      {
        field: 'item_id',
      },
    );
  }
  if (q.scenario === 'rank' && (q.items === undefined || q.items.length === 0)) {
    throw new VitrineError(
      'validation_failed',
      'The scenario "rank" needs items: the list of item ids to re-rank.',
      {
        field: 'items',
      },
    );
  }
  const { view, excluded } = await subjectScope(deps, rt, subjectId, q.session_id, q.non_personalized);
  const filters = toFilters(q);
  if (excluded !== NOTHING_EXCLUDED && q.scenario !== 'rank') {
    // R3: what the customer asked not to be used is not suggested to them either.
    const out = [...rt.catalog.keys()].filter(excluded);
    filters.exclude = [...(filters.exclude ?? []), ...out];
  }
  const result = recommend(rt.models, {
    scenario: q.scenario,
    view,
    ...(q.item_id !== undefined ? { itemId: q.item_id } : {}),
    ...(q.items !== undefined ? { items: q.items } : {}),
    filters: forYouOnPage(q, filters),
    limit: q.scenario === 'rank' ? Math.max(q.limit, q.items?.length ?? 0) : q.limit,
    now: deps.clock.now(),
  });
  const titleOf = (id: string) => rt.catalog.get(id)?.title;
  return {
    scenario: result.scenario,
    level: result.level,
    personalized: result.items.some((r) => r.reasons.some((reason) => reason.category !== null)),
    non_personalized_available: true,
    items: result.items.map((r) => {
      const item = rt.catalog.get(r.id);
      return {
        id: r.id,
        title: item?.title ?? null,
        price: item?.price ?? null,
        category_path: item?.categoryPath ?? [],
        available: item?.available ?? null,
        score: Math.round(r.score * 1e6) / 1e6,
        reasons: r.reasons.map((reason: Reason) => ({
          kind: reason.kind,
          category: reason.category,
          purpose: reason.purpose,
          evidence: {
            items: reason.evidence.items,
            titles: reason.evidence.items.map((id) => titleOf(id) ?? null),
            times: reason.evidence.times.map((t) => new Date(t).toISOString()),
          },
          text: renderReason(reason, q.language, titleOf),
        })),
      };
    }),
  };
}
