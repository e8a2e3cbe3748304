import type { EventInput, ItemInput, Level } from '@vitrine/contracts';
import { CONSUMABLES, DRAW, GOES_WITH, QUERIES } from './assortment';
import { Random } from './random';
import { Session } from './session';
import type { DemoSubject, DemoTraffic, Device, Visitor, VisitorOptions } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const LEVELS: readonly Level[] = [0, 1, 2, 3];
const LEVEL_WEIGHTS = [35, 30, 25, 10];
/** Weights of 1…6 sessions: customers who keep their history come back more often. */
const SESSION_WEIGHTS: Record<Level, readonly number[]> = {
  0: [55, 25, 12, 8, 0, 0],
  1: [45, 28, 15, 8, 4, 0],
  2: [15, 22, 23, 18, 12, 10],
  3: [10, 18, 22, 20, 17, 13],
};
const DEVICES: readonly Device[] = ['mobile', 'desktop', 'tablet'];
const DEVICE_WEIGHTS = [55, 35, 10];
const REGIONS = ['DE-NW', 'DE-BY', 'DE-BW', 'DE-NI', 'DE-HE', 'DE-SN', 'DE-RP', 'DE-BE', 'DE-SH', 'DE-HH'];
const REGION_WEIGHTS = [22, 16, 13, 10, 8, 5, 5, 4, 4, 3];
/** Share of sessions starting in each UTC hour: lunch break and evening (German time is UTC+1). */
const HOUR_WEIGHTS = [1, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 8, 8, 7, 6, 6, 7, 9, 11, 12, 11, 8, 5, 2];
const HOURS = HOUR_WEIGHTS.map((_, h) => h);
const VIEW_COUNTS = Array.from({ length: 14 }, (_, i) => i + 2);
const VIEW_WEIGHTS = VIEW_COUNTS.map((n) => 1 / n);

const ADD_TO_CART = 0.15;
/** Adding an item that goes with one already in the cart is likelier. */
const ADD_MATCHING = 0.35;
const REMOVE_FROM_CART = 0.12;
const CHECKOUT = 0.16;
const CROSS_SELL = 0.6;
/** Share of level-2/3 customers who buy a consumable (tea, candles …) again every few weeks. */
const REGULAR = 0.25;

/** The catalog arranged for browsing: subcategory → items, top category → subcategories. */
interface Shelves {
  items: readonly ItemInput[];
  bySub: Map<string, ItemInput[]>;
  subsByTop: Map<string, string[]>;
}

const topOf = (item: ItemInput) => item.category_path?.[0] ?? '';
const subOf = (item: ItemInput) => item.category_path?.[1] ?? topOf(item);

function shelve(items: readonly ItemInput[]): Shelves {
  const bySub = new Map<string, ItemInput[]>();
  const subsByTop = new Map<string, string[]>();
  for (const item of items) {
    const sub = subOf(item);
    const shelf = bySub.get(sub);
    if (shelf) shelf.push(item);
    else {
      bySub.set(sub, [item]);
      subsByTop.set(topOf(item), [...(subsByTop.get(topOf(item)) ?? []), sub]);
    }
  }
  return { items, bySub, subsByTop };
}

/**
 * A few hundred simulated visitors with realistic sessions over the last `days` days: a
 * favourite category or two, browsing along a category with occasional hops, German searches,
 * carts, purchases of things that go together (teapot and cups, candle and holder, vase and
 * dried flowers) and consumables bought again every few weeks. Same seed and `now`, same traffic.
 */
export function generateVisitors(catalog: readonly ItemInput[], opts: VisitorOptions): DemoTraffic {
  if (catalog.length === 0) throw new Error('generateVisitors needs a catalog with items');
  const r = new Random(opts.seed ?? 1);
  const shelves = shelve(catalog);
  const tops = [...shelves.subsByTop.keys()];
  const subjects: DemoSubject[] = [];
  const events: EventInput[] = [];
  for (let v = 1; v <= (opts.visitors ?? 300); v++) {
    const level = r.weighted(LEVELS, LEVEL_WEIGHTS);
    const visitor: Visitor = {
      subject: { id: `sub_demo${String(v).padStart(4, '0')}`, level, gpc: r.chance(0.1) },
      device: r.weighted(DEVICES, DEVICE_WEIGHTS),
      region: r.weighted(REGIONS, REGION_WEIGHTS),
      favourites: r.chance(0.4) ? [r.pick(tops), r.pick(tops)] : [r.pick(tops)],
    };
    subjects.push(visitor.subject);
    events.push(...visit(r, shelves, visitor, opts.now, opts.days ?? 30));
  }
  // Every ts comes from toISOString, so comparing the strings orders by time.
  events.sort((a, b) => (a.ts! < b.ts! ? -1 : a.ts! > b.ts! ? 1 : 0));
  return { subjects, events };
}

/** All sessions of one visitor, in time order, none overlapping; repurchases slot in between. */
function visit(r: Random, shelves: Shelves, visitor: Visitor, now: number, days: number): EventInput[] {
  const { level } = visitor.subject;
  const count = r.weighted([1, 2, 3, 4, 5, 6], SESSION_WEIGHTS[level]);
  const starts = Array.from({ length: count }, () => sessionStart(r, now, days)).sort((a, b) => a - b);
  const events: EventInput[] = [];
  let free = 0;
  let next = 0;
  let due =
    level >= 2 && r.chance(REGULAR)
      ? { at: now - days * DAY + r.int(0, 14) * DAY + r.int(8, 21) * HOUR, item: regularBuy(r, shelves) }
      : undefined;
  for (;;) {
    const regular = starts[next];
    const repurchase = due !== undefined && (regular === undefined || due.at < regular) ? due : undefined;
    if (!repurchase && regular === undefined) break;
    if (!repurchase) next++;
    const session = new Session(r, visitor, Math.max(free, repurchase?.at ?? regular ?? 0));
    if (repurchase) {
      session.repurchase(repurchase.item, r.weighted([1, 2], [3, 1]));
      due = { at: session.end + Math.max(12, r.normal(24, 6)) * DAY, item: repurchase.item };
    } else browse(r, shelves, visitor, session);
    if (session.end >= now) break;
    events.push(...session.events);
    free = session.end + 30 * MINUTE;
  }
  return events;
}

/** The consumable a regular customer keeps buying. */
function regularBuy(r: Random, shelves: Shelves): ItemInput {
  const subs = [...CONSUMABLES].filter((sub) => shelves.bySub.has(sub));
  const items = shelf(shelves, r.pick(subs)).filter((i) => i.available !== false);
  return r.pick(items.length > 0 ? items : shelves.items);
}

function sessionStart(r: Random, now: number, days: number): number {
  const day = Math.floor((now - r.int(0, days - 1) * DAY) / DAY) * DAY;
  const start = day + r.weighted(HOURS, HOUR_WEIGHTS) * HOUR + r.int(0, 59) * MINUTE;
  return start < now - HOUR ? start : start - DAY;
}

/** One browsing session: an entry (search or a favourite category), views along and across categories, cart, maybe checkout. */
function browse(r: Random, shelves: Shelves, visitor: Visitor, session: Session): void {
  const favouriteSubs = visitor.favourites.flatMap((top) => shelves.subsByTop.get(top) ?? []);
  const entry = r.weighted(
    favouriteSubs,
    favouriteSubs.map((sub) => DRAW[sub] ?? 1),
  );
  let current = (r.chance(0.25) ? search(r, shelves, session) : undefined) ?? r.pick(shelf(shelves, entry));
  const views = r.weighted(VIEW_COUNTS, VIEW_WEIGHTS);
  for (let i = 0; i < views; i++) {
    session.view(current);
    const matches = session.cart.some((c) => GOES_WITH[subOf(c)]?.includes(subOf(current)));
    const added = current.available !== false && r.chance(matches ? ADD_MATCHING : ADD_TO_CART);
    if (added) {
      session.add(current, 1);
      if (r.chance(REMOVE_FROM_CART)) session.remove(current);
    }
    current = nextItem(r, shelves, session, current, favouriteSubs, added);
  }
  if (session.cart.length > 0 && r.chance(CHECKOUT + (visitor.subject.level >= 2 ? 0.04 : 0)))
    checkout(r, shelves, session);
}

/** Where a shopper goes next: mostly along the category, to what goes with an item just put in the cart, or elsewhere. */
function nextItem(
  r: Random,
  shelves: Shelves,
  session: Session,
  current: ItemInput,
  favouriteSubs: readonly string[],
  justAdded: boolean,
): ItemInput {
  const partners = GOES_WITH[subOf(current)];
  if (partners && r.chance(justAdded ? 0.6 : 0.12)) return r.pick(shelf(shelves, r.pick(partners)));
  const u = r.next();
  if (u < 0.62) return r.pick(shelf(shelves, subOf(current)));
  if (u < 0.86) return r.pick(shelf(shelves, r.pick(favouriteSubs)));
  if (u < 0.95) return r.pick(shelves.items);
  return search(r, shelves, session) ?? current;
}

/** Buys the cart, often adding something that goes with an item in it. */
function checkout(r: Random, shelves: Shelves, session: Session): void {
  const anchor = session.cart.find((i) => GOES_WITH[subOf(i)] !== undefined);
  const partners = anchor && GOES_WITH[subOf(anchor)];
  if (partners && !session.cart.some((i) => partners.includes(subOf(i))) && r.chance(CROSS_SELL)) {
    const extra = r.pick(shelf(shelves, r.pick(partners)).filter((i) => i.available !== false));
    if (extra) {
      session.view(extra);
      session.add(extra, 1);
    }
  }
  session.purchase(
    [...new Set(session.cart)].slice(0, 4).map((item) => ({
      item,
      quantity: CONSUMABLES.has(subOf(item)) ? r.weighted([1, 2, 3], [5, 3, 1]) : r.weighted([1, 2], [9, 1]),
    })),
  );
}

/** Searches for a query and returns the top hit the visitor opens, if any. */
function search(r: Random, shelves: Shelves, session: Session): ItemInput | undefined {
  const [query, sub] = r.pick(QUERIES);
  const words = query.split(' ');
  const score = (item: ItemInput) => words.filter((w) => item.title.toLowerCase().includes(w)).length;
  const results = [...shelf(shelves, sub)].sort((a, b) => score(b) - score(a)).slice(0, 8);
  session.search(query, results);
  return results.length > 0 ? r.pick(results.slice(0, 3)) : undefined;
}

/** The items of a subcategory; the whole catalog when the catalog has no such subcategory. */
function shelf(shelves: Shelves, sub: string): readonly ItemInput[] {
  return shelves.bySub.get(sub) ?? shelves.items;
}
