import type { Language, PredictionOut, PredictionsResponse } from '@vitrine/contracts';
import { predict, renderPrediction, renderPredictionInput } from '@vitrine/engine';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { subjectScope } from './recommend';

/**
 * Level-3 predictions about the subject, each with its inputs (Art. 15(1)(h), R7): empty below
 * level 3, while paused, or when the subject does not allow predictions.
 */
export async function predictionsFlow(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  sessionId: string | undefined,
  lang: Language,
): Promise<PredictionsResponse> {
  const { view, excluded, excludedCategories } = await subjectScope(deps, rt, subjectId, sessionId, false);
  const within = (a: readonly string[], b: readonly string[]) => a.every((level, k) => b[k] === level);
  const titleOf = (id: string) => rt.catalog.get(id)?.title ?? id;
  // R3: nothing about an item or category the customer excluded.
  const kept = predict(rt.models, view, deps.clock.now()).filter((p) => {
    if (p.kind === 'repurchase') return !excluded(p.item);
    if (p.kind === 'next_category') {
      return !excludedCategories.some((c) => within(c, p.category) || within(p.category, c));
    }
    return true;
  });
  const predictions = kept.map((p): PredictionOut => {
    const out: PredictionOut = {
      kind: p.kind,
      probability: Math.round(p.probability * 1e4) / 1e4,
      inputs: p.inputs.map((i) => ({
        kind: i.kind,
        label: renderPredictionInput(i, lang),
        category: i.category,
        category_label: i.category === null ? null : (rt.policy.categories[i.category]?.label[lang] ?? null),
        items: i.items,
        times: i.times.map((t) => new Date(t).toISOString()),
      })),
      text: renderPrediction(p, lang, titleOf),
    };
    if (p.kind === 'repurchase') {
      out.item = { id: p.item, title: rt.catalog.get(p.item)?.title ?? null };
      out.horizon_days = p.horizonDays;
    }
    if (p.kind === 'next_category') out.category = p.category;
    return out;
  });
  return { subject_id: subjectId, level: view.level, predictions };
}
