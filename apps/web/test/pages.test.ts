import { categoryFacts, loadDefaultPolicy, noticeDialog } from '@vitrine/policy';
import { describe, expect, it } from 'vitest';
import { privacyCenterPage } from '../src/center/page';
import {
  centerView,
  describePoint,
  groupPoints,
  itemIds,
  receiptLines,
  type SubjectExportJson,
} from '../src/center/view';
import { jsonForScript } from '../src/layout';
import { productPage, type Storefront } from '../src/shop/pages';
import { SHOP_TEXTS } from '../src/shop/texts';
import { TEXTS } from '../src/texts';

/** Every text of a table, functions called with sample arguments, nested maps flattened. */
function texts(table: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(table).flatMap(([k, v]): Array<[string, string]> => {
    if (typeof v === 'function') return [[k, (v as (...a: unknown[]) => string)(2, 'X')]];
    if (typeof v === 'string') return [[k, v]];
    if (Array.isArray(v)) return v.map((x, i) => [`${k}[${i}]`, String(x)]);
    return Object.entries(v as Record<string, string>).map(([kk, x]) => [`${k}.${kk}`, x]);
  });
}

describe('customer pages', () => {
  it('T1: every text of the pages and the storefront exists, non-empty, in German and English', () => {
    for (const table of [TEXTS, SHOP_TEXTS]) {
      const de = texts(table.de as unknown as Record<string, unknown>);
      const en = texts(table.en as unknown as Record<string, unknown>);
      expect(en.map(([k]) => k)).toEqual(de.map(([k]) => k));
      for (const [k, v] of [...de, ...en]) expect(v.trim(), k).not.toBe('');
    }
    expect(TEXTS.de.center).toBe('Datenschutz-Center');
    expect(TEXTS.en.center).toBe('Privacy center');
  });

  it('JSON in a page cannot end its script element or open markup', () => {
    const json = jsonForScript({ t: '</script><script>alert(1)</script><!--', u: '\u2028' });
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.parse(json)).toEqual({ t: '</script><script>alert(1)</script><!--', u: '\u2028' });
  });

  it('escapes every text it puts in a page (a product title, a policy text)', () => {
    const sf: Storefront = {
      lang: 'de',
      base: '/demo',
      path: '/p/x',
      shopName: 'Shop <i>',
      shopId: 'shop_a',
      publicKey: 'vt_pk_x',
      api: 'http://vitrine.test',
      categories: [{ name: 'Küche', subs: [] }],
      docs: { notice: '/n', record: '/r' },
    };
    const html = productPage(sf, {
      id: 'x"y',
      title: '<img src=x onerror=alert(1)>',
      price: 9.5,
      categoryPath: ['Küche'],
      available: true,
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const policy = loadDefaultPolicy();
    const center = privacyCenterPage({
      shopName: '<b>x</b>',
      links: { notice: '/n', record: '/r', center: '/c', otherLanguage: '/o' },
      embedded: false,
      data: {
        shop: 'shop_a',
        lang: 'de',
        peers: [],
        dialog: noticeDialog(policy, 'de'),
        categories: categoryFacts(policy, 'de'),
      },
    });
    expect(center).not.toContain('<b>x</b>');
    // C3: nothing pre-selected in the served page; the script sets the customer's own choice.
    expect(center).not.toMatch(/<input[^>]*checked/);
  });

  it('R2: reads the export into groups by category; consent and predictions have their own sections', () => {
    const point = (over: Partial<SubjectExportJson['data'][number]>) => ({
      store: 'events',
      id: 'evt_1',
      time: '2026-11-23T10:00:00.000Z',
      category: 'browsing',
      category_label: 'Angesehene Artikel',
      source: 'observed',
      purposes: ['session_personalization'],
      legal_basis: ['consent – Art. 6'],
      retention: 'P12M',
      expires_at: '2027-11-23T10:00:00.000Z',
      value: { type: 'view', item_id: 'kanne' },
      ...over,
    });
    const x: SubjectExportJson = {
      format: 'vitrine-export/1',
      data: [
        point({}),
        point({
          id: 'evt_2',
          category: 'searches',
          category_label: 'Suchbegriffe',
          value: { type: 'search', query: 'tee' },
        }),
        point({ store: 'consent_records', id: 'cns_1', category: 'consent', value: {} }),
        point({ store: 'predictions (memory)', id: null, category: 'predictions', value: { text: 'x' } }),
        point({
          store: 'exclusions',
          id: 'exc_1',
          category: 'wishes',
          category_label: 'Wünsche',
          value: { item_id: 'tasse', category: null },
        }),
      ],
    };
    const { groups, elsewhere } = groupPoints(x);
    expect(groups.map((g) => [g.category, g.points.length])).toEqual([
      ['browsing', 1],
      ['searches', 1],
      ['wishes', 1],
    ]);
    expect(elsewhere).toBe(2);
    expect(itemIds(x)).toEqual(['kanne', 'tasse']);
    const types = TEXTS.de.eventTypes;
    const title = (id: string) => (id === 'kanne' ? 'Teekanne Aurora' : id);
    expect(describePoint(x.data[0]!, types, title)).toBe('Angesehen · Teekanne Aurora');
    expect(describePoint(x.data[1]!, types, title)).toBe('Gesucht · „tee“');
    expect(describePoint(x.data[4]!, types, title)).toBe('tasse');

    // Everything the center shows comes from this one export: state, objection, ledger, predictions.
    const v = centerView({
      ...x,
      data: [
        ...x.data,
        point({
          store: 'subjects',
          id: 'sub_a',
          category: 'consent',
          value: { level: 2, purposes: {}, gpc: false, paused: true },
        }),
        point({
          store: 'objections',
          id: null,
          category: 'wishes',
          value: { direct_marketing: true, profiling: false },
        }),
      ],
    });
    expect(v.state).toMatchObject({ level: 2, paused: true });
    expect(v.objection).toEqual({ direct_marketing: true, profiling: false });
    expect(v.predictions).toEqual([{ text: 'x' }]);
    expect(v.elsewhere).toBe(3);
  });

  it('R4: the receipt lists what the erasure removed, per place', () => {
    expect(
      receiptLines(
        {
          status: 'completed',
          erasure_id: 'era_1',
          receipt: { removed: { events: 3, sessions: 1, shared_models: { sessions: 1, interactions: 3 } } },
        },
        TEXTS.de.removed_,
      ),
    ).toEqual([
      'Ereignisse: 3',
      'Besuche: 1',
      'Besuche in den gemeinsamen Empfehlungslisten: 1',
      'Einträge in den gemeinsamen Empfehlungslisten: 3',
    ]);
  });
});
