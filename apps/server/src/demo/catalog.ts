import type { ItemInput } from '@vitrine/contracts';
import { BRANDS, PRODUCT_TYPES, type ProductType, SHARED_VARS } from './assortment';
import { Random } from './random';

const PLACEHOLDER = /\{([^}]+)\}/g;
/** Attempts at a title not used yet before the item is left out. */
const TITLE_TRIES = 5;

/** Fills a title template; every placeholder and attribute gets one pick, used in both. */
function describe(r: Random, type: ProductType): { title: string; picks: Record<string, string> } {
  const picks: Record<string, string> = {};
  const value = (key: string): string => {
    const pool = type.vars?.[key] ?? SHARED_VARS[key];
    if (!pool) throw new Error(`demo assortment: no values for {${key}} in ${type.path.join(' > ')}`);
    picks[key] ??= r.pick(pool);
    return picks[key];
  };
  const title = r.pick(type.titles).replace(PLACEHOLDER, (_, key: string) => value(key));
  for (const key of type.attributes) value(key);
  return { title, picks };
}

/**
 * A shop price in the band, cheaper ones more often (log-uniform): whole euros ending in ,95 or
 * ,99, or a round ,00 — from lo,95 to hi,00.
 */
function shopPrice(r: Random, [lo, hi]: readonly [number, number]): number {
  const euros = Math.floor(lo * (hi / lo) ** r.next());
  const cents = Math.min(euros, hi - 1) * 100 + r.weighted([95, 99, 100], [6, 2, 2]);
  return cents / 100;
}

/**
 * A plausible German home-and-gift catalog of about 330 items in 8 top categories (ids
 * `sku-10001` …), the same for the same seed. About 5 % of the items are sold out.
 */
export function generateCatalog(seed = 1): ItemInput[] {
  const r = new Random(seed);
  const items: ItemInput[] = [];
  const titles = new Set<string>();
  for (const type of PRODUCT_TYPES) {
    for (let i = 0; i < type.count; i++) {
      let made = describe(r, type);
      for (let tries = 1; titles.has(made.title) && tries < TITLE_TRIES; tries++) made = describe(r, type);
      if (titles.has(made.title)) continue;
      titles.add(made.title);
      const { wert } = made.picks;
      const attributes = Object.fromEntries(type.attributes.map((k) => [k, made.picks[k]!]));
      items.push({
        id: `sku-${10001 + items.length}`,
        title: made.title,
        category_path: [...type.path],
        price: wert === undefined ? shopPrice(r, type.price) : Number(wert),
        currency: 'EUR',
        attributes: { ...attributes, marke: r.pick(BRANDS) },
        available: wert !== undefined || !r.chance(0.05),
      });
    }
  }
  return items;
}
