import type { CatalogItem, Interaction, InteractionType, Level, SubjectView } from '../src/index';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2025, 5, 1, 12);

const item = (id: string, title: string, path: string[], price: number, available = true): CatalogItem => ({
  id,
  title,
  categoryPath: path,
  price,
  available,
});

export const catalog: CatalogItem[] = [
  item('teapot', 'Teekanne Aurora', ['Küche', 'Tee'], 39),
  item('cups', 'Teetassen Aurora', ['Küche', 'Tee'], 24),
  item('tea', 'Grüner Tee Sencha', ['Küche', 'Tee'], 8),
  item('strainer', 'Teesieb', ['Küche', 'Tee'], 6, false),
  item('kettle', 'Wasserkocher', ['Küche', 'Geräte'], 59),
  item('mug', 'Becher', ['Küche', 'Kaffee'], 12),
  item('coffee', 'Kaffeebohnen', ['Küche', 'Kaffee'], 14),
  item('grinder', 'Kaffeemühle', ['Küche', 'Kaffee'], 45),
  item('candle', 'Kerze', ['Wohnen'], 9),
  item('vase', 'Vase', ['Wohnen'], 29),
];

export function ev(
  subject: string,
  session: string,
  itemId: string,
  type: InteractionType,
  ts: number,
  category = type === 'purchase' ? 'purchases' : type === 'view' ? 'browsing' : 'cart',
): Interaction {
  return { subject, session, item: itemId, type, ts, category };
}

/** Shoppers whose sessions make tea things go together, coffee things go together. */
export function shopHistory(): Interaction[] {
  const out: Interaction[] = [];
  const t = NOW - 20 * DAY;
  for (let u = 0; u < 6; u++) {
    const s = `u${u}`;
    const base = t + u * DAY;
    out.push(ev(s, `${s}-a`, 'teapot', 'view', base));
    out.push(ev(s, `${s}-a`, 'cups', 'view', base + 60_000));
    out.push(ev(s, `${s}-a`, 'tea', 'view', base + 120_000));
    out.push(ev(s, `${s}-a`, 'teapot', 'purchase', base + 180_000));
    out.push(ev(s, `${s}-a`, 'cups', 'purchase', base + 180_000));
    out.push(ev(s, `${s}-b`, 'coffee', 'view', base + 2 * DAY));
    out.push(ev(s, `${s}-b`, 'grinder', 'view', base + 2 * DAY + 60_000));
    out.push(ev(s, `${s}-b`, 'mug', 'view', base + 2 * DAY + 120_000));
    out.push(ev(s, `${s}-b`, 'coffee', 'purchase', base + 2 * DAY + 180_000));
    out.push(ev(s, `${s}-b`, 'grinder', 'purchase', base + 2 * DAY + 180_000));
  }
  // Recent interest in candles: trending now.
  for (let u = 0; u < 8; u++) out.push(ev(`c${u}`, `c${u}`, 'candle', 'view', NOW - DAY / 2 - u * 60_000));
  return out;
}

/** Five customers who buy tea again and again, every 20 to 40 days (a consumable). */
export function teaBuyers(): Interaction[] {
  const out: Interaction[] = [];
  for (let u = 0; u < 5; u++) {
    const cycle = 20 + 5 * u;
    for (let k = 1; k <= 4; k++) {
      out.push(ev(`t${u}`, `t${u}-${k}`, 'tea', 'purchase', NOW - 5 * DAY - k * cycle * DAY));
    }
  }
  return out;
}

export const CATEGORIES = ['browsing', 'cart', 'purchases'] as const;
export const PURPOSES: Record<string, string> = {
  browsing: 'personalisation_session',
  cart: 'personalisation_session',
  purchases: 'personalisation_history',
};

/** A view as a flow would build it: fields populated per level, categories per consent. */
export function viewOf(
  subject: string,
  level: Level,
  session: Interaction[] = [],
  history: Interaction[] = [],
  allowed: readonly string[] = CATEGORIES,
): SubjectView {
  return {
    subject,
    level,
    allowedCategories: new Set(allowed),
    purposeOf: PURPOSES,
    session: level >= 1 ? session : [],
    history: level >= 2 ? history : [],
    predictions: level >= 3,
  };
}
