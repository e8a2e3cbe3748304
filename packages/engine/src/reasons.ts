import type { Language } from '@vitrine/contracts';
import type { Scope } from './scope';
import { COMPONENTS, Comp } from './score/board';
import type { Reason, ReasonKind } from './types';

/** Builds the reasons of one recommended item from its score components, strongest first. */
export function reasonsFor(
  contrib: Float64Array,
  src: Int32Array,
  item: number,
  total: number,
  scope: Scope,
  ids: readonly string[],
  pageItem: string | undefined,
): Reason[] {
  const out: Reason[] = [];
  const base = item * COMPONENTS;
  for (let comp = 0; comp < COMPONENTS; comp++) {
    const c = contrib[base + comp]!;
    if (c <= 0) continue;
    const reason = reasonOf(comp as Comp, src[base + comp]!, item, scope, ids, pageItem);
    reason.weight = total > 0 ? c / total : 1;
    out.push(reason);
  }
  return out.sort(byWeight);
}

function reasonOf(
  comp: Comp,
  source: number,
  item: number,
  scope: Scope,
  ids: readonly string[],
  pageItem: string | undefined,
): Reason {
  const ev = source >= 0 ? scope.events[source] : undefined;
  switch (comp) {
    case Comp.Session: {
      if (!ev) return nonPersonal('popular_now', []);
      const kind: ReasonKind =
        ev.type === 'add_to_cart'
          ? 'carted_in_session'
          : ev.type === 'purchase'
            ? 'bought_in_session'
            : 'viewed_in_session';
      return personalReason(scope, kind, [ev.id], [ev.ts], ev.category);
    }
    case Comp.Own:
    case Comp.Predicted: {
      const times: number[] = [];
      let category = ev?.category ?? '';
      for (const e of scope.events) {
        if (e.item === item && e.type === 'purchase') {
          times.push(e.ts);
          category = e.category;
        }
      }
      times.sort(ascending);
      return personalReason(
        scope,
        comp === Comp.Own ? 'bought_before' : 'predicted_repurchase',
        [ids[item]!],
        times,
        category,
      );
    }
    case Comp.Cf:
      return ev
        ? personalReason(scope, 'goes_with_purchase', [ev.id], [ev.ts], ev.category)
        : nonPersonal('popular_now', []);
    case Comp.Similar:
      return nonPersonal('similar_to_current', pageItem ? [pageItem] : []);
    case Comp.Together:
      return ev
        ? personalReason(scope, 'bought_together_with', [ev.id], [ev.ts], ev.category)
        : nonPersonal('bought_together_with', pageItem ? [pageItem] : []);
    case Comp.Popular:
      return nonPersonal('popular_now', []);
  }
}

const byWeight = (a: Reason, b: Reason) => (b.weight ?? 0) - (a.weight ?? 0);
const ascending = (a: number, b: number) => a - b;

// Module-level (not closures made per reason): a closure made per call costs a name helper
// call under esbuild's keepNames, and reasons are built for every recommended item.
function personalReason(
  scope: Scope,
  kind: ReasonKind,
  items: string[],
  times: number[],
  category: string,
): Reason {
  return {
    kind,
    category,
    purpose: Object.hasOwn(scope.purposeOf, category) ? (scope.purposeOf[category] ?? null) : null,
    evidence: { items, times },
  };
}

function nonPersonal(kind: ReasonKind, items: string[]): Reason {
  return { kind, category: null, purpose: null, evidence: { items, times: [] } };
}

/** The languages of every customer-facing text: contracts holds the one list. */
export type Lang = Language;

function quote(lang: Lang, title: string): string {
  return lang === 'de' ? `„${title}“` : `“${title}”`;
}

function titles(r: Reason, lang: Lang, titleOf: (id: string) => string | undefined): string {
  const names = r.evidence.items
    .slice(0, 3)
    .map((id) => quote(lang, titleOf(id) ?? (lang === 'de' ? `Artikel ${id}` : `item ${id}`)));
  if (names.length === 0) return lang === 'de' ? 'diesem Artikel' : 'this item';
  const and = lang === 'de' ? ' und ' : ' and ';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')}${and}${names[names.length - 1]}`;
}

function lastDate(r: Reason, lang: Lang): string {
  const t = r.evidence.times.length > 0 ? Math.max(...r.evidence.times) : Number.NaN;
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  return lang === 'de' ? `${dd}.${mm}.${d.getUTCFullYear()}` : `${d.getUTCFullYear()}-${mm}-${dd}`;
}

/** Renders a reason as one plain-language sentence in German or English. */
export function renderReason(r: Reason, lang: Lang, titleOf: (id: string) => string | undefined): string {
  const t = titles(r, lang, titleOf);
  const date = lastDate(r, lang);
  const de = lang === 'de';
  switch (r.kind) {
    case 'viewed_in_session':
      return de
        ? `Weil Sie in dieser Sitzung ${t} angesehen haben`
        : `Because you viewed ${t} during this visit`;
    case 'carted_in_session':
      return de
        ? `Weil Sie in dieser Sitzung ${t} in den Warenkorb gelegt haben`
        : `Because you added ${t} to your cart during this visit`;
    case 'bought_in_session':
      return de
        ? `Weil Sie in dieser Sitzung ${t} gekauft haben`
        : `Because you bought ${t} during this visit`;
    case 'bought_before':
      return de
        ? `Weil Sie ${t} schon gekauft haben${date ? `, zuletzt am ${date}` : ''}`
        : `Because you bought ${t} before${date ? `, last on ${date}` : ''}`;
    case 'predicted_repurchase': {
      // Only items someone bought on two different days reach this reason (score/repeat.ts): the
      // subject (several purchase days) or, after one purchase, other buyers.
      const days = new Set(r.evidence.times.map((t) => Math.floor(t / 86_400_000))).size;
      if (days >= 2) {
        return de
          ? `Weil Sie ${t} mehrmals gekauft haben (zuletzt am ${date}) und es wieder brauchen könnten`
          : `Because you bought ${t} several times (last on ${date}) and may need it again`;
      }
      return de
        ? `Weil Sie ${t}${date ? ` am ${date}` : ''} gekauft haben und andere es nachkaufen`
        : `Because you bought ${t}${date ? ` on ${date}` : ''} and other buyers buy it again`;
    }
    case 'goes_with_purchase':
      return de ? `Weil es zu Ihrem Kauf ${t} passt` : `Because it goes with your purchase of ${t}`;
    case 'bought_together_with':
      return de ? `Wird oft zusammen mit ${t} gekauft` : `Often bought together with ${t}`;
    case 'similar_to_current':
      return de ? `Ähnlich wie ${t}` : `Similar to ${t}`;
    case 'popular_now':
      return de
        ? 'Gerade beliebt bei anderen Kundinnen und Kunden'
        : 'Popular with other customers right now';
    case 'shop_order':
      return de
        ? 'Für diesen Artikel gilt nichts Persönliches: Er folgt in der Reihenfolge des Shops'
        : "Nothing personal applies to this item: it follows in the shop's order";
  }
}
