import { EventInput, ItemInput } from '@vitrine/contracts';
import { describe, expect, it } from 'vitest';
import { generateCatalog, generateVisitors } from '../src/demo';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

const catalog = generateCatalog();
const traffic = generateVisitors(catalog, { now: NOW });
const byId = new Map(catalog.map((i) => [i.id, i]));
const subOf = (id: string) => byId.get(id)?.category_path?.[1];
const itemsOf = (e: EventInput): string[] =>
  e.type === 'purchase' ? e.lines.map((l) => l.item_id) : 'item_id' in e ? [e.item_id] : [];
const orders = traffic.events.filter((e) => e.type === 'purchase');
const levelOf = new Map(traffic.subjects.map((s) => [s.id, s.level]));

describe('demo catalog', () => {
  it('has a few hundred items that the API would accept as they are', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(300);
    expect(catalog.length).toBeLessThanOrEqual(400);
    for (const item of catalog) expect(ItemInput.parse(item)).toEqual(item);
    expect(new Set(catalog.map((i) => i.id)).size).toBe(catalog.length);
    for (const item of catalog) expect(item.id).toMatch(/^sku-1\d{4}$/);
  });

  it('looks like a German home-and-gift shop: categories, titles, prices, attributes, stock', () => {
    const subsByTop = new Map<string, Set<string>>();
    for (const { category_path: [top, sub] = [] } of catalog)
      subsByTop.set(top!, (subsByTop.get(top!) ?? new Set()).add(sub!));
    expect(subsByTop.size).toBeGreaterThanOrEqual(8);
    expect(subsByTop.size).toBeLessThanOrEqual(10);
    for (const subs of subsByTop.values()) expect(subs.size).toBeGreaterThanOrEqual(2);
    expect(subsByTop.get('Küche')).toContain('Teekannen');

    const titles = catalog.map((i) => i.title);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles.some((t) => /^Teekanne \w+, \w+, 1,2 l$/.test(t))).toBe(true);
    expect(titles.some((t) => t.startsWith('Duftkerze Vanille'))).toBe(true);
    expect(titles.filter((t) => /[äöüß×]/.test(t)).length).toBeGreaterThan(catalog.length / 4);

    for (const { price } of catalog) {
      expect(price).toBeGreaterThanOrEqual(2.95);
      expect(price).toBeLessThanOrEqual(189);
      expect([0, 95, 99]).toContain(Math.round(price * 100) % 100);
    }
    const teapots = catalog.filter((i) => i.category_path?.[1] === 'Teekannen').map((i) => i.price);
    const cards = catalog.filter((i) => i.category_path?.[1] === 'Grußkarten').map((i) => i.price);
    expect(Math.min(...teapots)).toBeGreaterThan(Math.max(...cards));

    for (const item of catalog) expect(item.attributes).toHaveProperty('marke');
    expect(catalog.filter((i) => i.attributes?.material !== undefined).length).toBeGreaterThan(200);
    const soldOut = catalog.filter((i) => i.available === false).length / catalog.length;
    expect(soldOut).toBeGreaterThan(0.02);
    expect(soldOut).toBeLessThan(0.1);
  });
});

describe('demo visitors', () => {
  it('are deterministic for the same seed and now, and differ for another seed', () => {
    expect(generateCatalog(1)).toEqual(catalog);
    expect(generateVisitors(generateCatalog(1), { seed: 1, now: NOW })).toEqual(traffic);
    expect(generateCatalog(2)).not.toEqual(catalog);
    expect(generateVisitors(catalog, { seed: 2, now: NOW }).events).not.toEqual(traffic.events);
  });

  it('come at every level in roughly the intended shares, some with GPC', () => {
    const { subjects } = traffic;
    expect(subjects).toHaveLength(300);
    expect(new Set(subjects.map((s) => s.id)).size).toBe(300);
    for (const s of subjects) expect(s.id).toMatch(/^sub_demo/);
    const share = (level: number) => subjects.filter((s) => s.level === level).length / subjects.length;
    const targets = [0.35, 0.3, 0.25, 0.1];
    for (const [level, target] of targets.entries())
      expect(Math.abs(share(level) - target)).toBeLessThan(0.1);
    const gpc = subjects.filter((s) => s.gpc).length / subjects.length;
    expect(gpc).toBeGreaterThan(0.03);
    expect(gpc).toBeLessThan(0.2);
  });

  it('send valid events of every type, sorted, in the last 30 days, for catalog items only', () => {
    let last = '';
    for (const e of traffic.events) {
      EventInput.parse(e);
      expect(e.ts! >= last).toBe(true);
      last = e.ts!;
      expect(Date.parse(e.ts!)).toBeLessThan(NOW);
      expect(Date.parse(e.ts!)).toBeGreaterThan(NOW - 31 * DAY);
      expect(e.session_id).toMatch(/^ses_/);
      expect(levelOf.has(e.subject_id)).toBe(true);
      for (const id of itemsOf(e)) expect(byId.has(id)).toBe(true);
    }
    const types = new Set(traffic.events.map((e) => e.type));
    expect(types).toEqual(new Set(['view', 'search', 'add_to_cart', 'remove_from_cart', 'purchase']));
    for (const o of orders) expect(o.type === 'purchase' && o.order_id).toMatch(/^ord_/);
  });

  it('never put a sold-out item into a cart or an order', () => {
    const carted = traffic.events.filter((e) => e.type === 'add_to_cart' || e.type === 'purchase');
    for (const id of carted.flatMap(itemsOf)) expect(byId.get(id)?.available).not.toBe(false);
  });

  it('browse realistically: returning customers at higher levels, a purchase in about a tenth of sessions', () => {
    const sessions = new Map<string, { subject: string; bought: boolean; repurchase: boolean }>();
    for (const e of traffic.events) {
      const s = sessions.get(e.session_id) ?? { subject: e.subject_id, bought: false, repurchase: false };
      s.bought ||= e.type === 'purchase';
      s.repurchase ||= e.context?.page === '/konto/bestellungen';
      sessions.set(e.session_id, s);
    }
    const browsing = [...sessions.values()].filter((s) => !s.repurchase);
    const buying = browsing.filter((s) => s.bought).length / browsing.length;
    expect(buying).toBeGreaterThan(0.06);
    expect(buying).toBeLessThan(0.15);

    const perVisitor = (levels: number[]) => {
      const visitors = traffic.subjects.filter((s) => levels.includes(s.level)).length;
      return browsing.filter((s) => levels.includes(levelOf.get(s.subject)!)).length / visitors;
    };
    expect(perVisitor([2, 3])).toBeGreaterThan(perVisitor([0, 1]) * 1.5);
  });

  it('buy things that go together far more often than by chance', () => {
    const subsOf = orders.map((o) => new Set(itemsOf(o).map(subOf)));
    /** How much likelier an order holds `partner` when it holds `anchor` than when it does not. */
    const lift = (anchor: string, partner: string) => {
      const [withA, withoutA] = [subsOf.filter((s) => s.has(anchor)), subsOf.filter((s) => !s.has(anchor))];
      const p = (orders: Set<string | undefined>[]) =>
        orders.filter((s) => s.has(partner)).length / orders.length;
      return { support: withA.length, lift: p(withA) / p(withoutA) };
    };
    const designed = [
      lift('Kerzen', 'Kerzenhalter'),
      lift('Vasen', 'Trockenblumen'),
      lift('Teekannen', 'Tee'),
    ];
    expect(designed.some((d) => d.support >= 8 && d.lift > 3)).toBe(true);
  });

  it('include regular level-2/3 customers who buy a consumable again weeks later', () => {
    const bought = new Map<string, number[]>();
    for (const o of orders)
      for (const id of itemsOf(o)) {
        const key = `${o.subject_id} ${id}`;
        bought.set(key, [...(bought.get(key) ?? []), Date.parse(o.ts!)]);
      }
    const again = [...bought].filter(([, times]) => times.length > 1);
    expect(again.length).toBeGreaterThanOrEqual(5);
    const consumables = new Set(['Tee', 'Kaffee', 'Kerzen', 'Servietten', 'Seifen']);
    const regular = again.filter(([key, times]) => {
      const [subject, item] = key.split(' ') as [string, string];
      return levelOf.get(subject)! >= 2 && consumables.has(subOf(item)!) && times[1]! - times[0]! > 10 * DAY;
    });
    expect(regular.length).toBeGreaterThanOrEqual(5);
  });
});
