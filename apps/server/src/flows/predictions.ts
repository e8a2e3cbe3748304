import type { Language, PredictionOut, PredictionsResponse } from '@vitrine/contracts';
import { type Prediction, predict } from '@vitrine/engine';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { subjectScope } from './recommend';

const pct = (p: number) => Math.round(p * 100);

function text(p: Prediction, lang: Language, titleOf: (id: string) => string): string {
  switch (p.kind) {
    case 'repurchase':
      return lang === 'de'
        ? `Sie kaufen „${titleOf(p.item)}“ voraussichtlich innerhalb von ${p.horizonDays} Tagen wieder (Wahrscheinlichkeit ${pct(p.probability)} %).`
        : `You will probably buy “${titleOf(p.item)}” again within ${p.horizonDays} days (${pct(p.probability)} % likely).`;
    case 'next_category':
      return lang === 'de'
        ? `Als Nächstes interessiert Sie voraussichtlich ${p.category.join(' › ')} (Wahrscheinlichkeit ${pct(p.probability)} %).`
        : `You are probably interested in ${p.category.join(' › ')} next (${pct(p.probability)} % likely).`;
    case 'purchase_propensity':
      return lang === 'de'
        ? `Wahrscheinlichkeit, dass dieser Besuch mit einem Kauf endet: ${pct(p.probability)} %.`
        : `Likelihood that this visit ends in a purchase: ${pct(p.probability)} %.`;
  }
}

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
        category: i.category,
        category_label: i.category === null ? null : (rt.policy.categories[i.category]?.label[lang] ?? null),
        items: i.items,
        times: i.times.map((t) => new Date(t).toISOString()),
      })),
      text: text(p, lang, titleOf),
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
