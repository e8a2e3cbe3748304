/**
 * The assortment of the demo shop "Beispiel Wohnen & Schenken": product types with title
 * templates and price bands, and what shoppers do with them (what goes together, what is
 * bought again, what they search for). Relations are keyed by subcategory, the second level
 * of `category_path`, so the traffic generator needs nothing beyond the catalog itself.
 */

/** A product type: `{name}` in a title is replaced by a pick from `vars.name` or the shared pools. */
export interface ProductType {
  path: readonly [string, string];
  titles: readonly string[];
  vars?: Readonly<Record<string, readonly string[]>>;
  /** Picks that become item attributes besides `marke`, e.g. `material`, `farbe`. */
  attributes: readonly string[];
  /** Whole euros from–to; the generated price ends in ,95 / ,99 / ,00. */
  price: readonly [number, number];
  count: number;
}

export const SHARED_VARS: Readonly<Record<string, readonly string[]>> = {
  linie: [
    'Aurora',
    'Nordlicht',
    'Salbei',
    'Fjord',
    'Mohn',
    'Ahorn',
    'Kiesel',
    'Morgentau',
    'Heidekraut',
    'Düne',
    'Birke',
    'Sonnenhof',
    'Elbe',
    'Lindenhof',
  ],
  farbe: [
    'Salbeigrün',
    'Sand',
    'Anthrazit',
    'Creme',
    'Rauchblau',
    'Rostrot',
    'Senfgelb',
    'Naturweiß',
    'Taupe',
  ],
};

export const BRANDS = ['Hausliebe', 'Nordhaus', 'Feinwerk', 'Landlust & Co.', 'Tischkultur', 'Fjordmade'];

const SCENTS = ['Vanille', 'Winterwald', 'Zimt & Orange', 'Lavendel', 'Feige', 'Sandelholz', 'Bergamotte'];
const TEAS = [
  'Earl Grey',
  'Darjeeling',
  'Rooibos Vanille',
  'Pfefferminze',
  'Kamille',
  'Sencha',
  'Chai',
  'Winterpunsch',
];

export const PRODUCT_TYPES: readonly ProductType[] = [
  {
    path: ['Küche', 'Teekannen'],
    titles: ['Teekanne {linie}, {material}, 1,2 l', 'Teekanne {linie}, {material}, 0,8 l'],
    vars: { material: ['Steingut', 'Porzellan', 'Glas', 'Gusseisen'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [24, 89],
    count: 16,
  },
  {
    path: ['Küche', 'Tee'],
    titles: ['{sorte}, lose, 100 g', '{sorte}, 20 Teebeutel', 'Bio-{sorte}, lose, 250 g'],
    vars: { sorte: TEAS },
    attributes: ['sorte'],
    price: [4, 14],
    count: 20,
  },
  {
    path: ['Küche', 'Kaffee'],
    titles: ['Kaffeebohnen „{linie}“, {röstung}, 500 g', 'Espresso „{linie}“, {röstung}, 250 g'],
    vars: { röstung: ['hell geröstet', 'mittel geröstet', 'dunkel geröstet'] },
    attributes: ['röstung'],
    price: [6, 29],
    count: 12,
  },
  {
    path: ['Küche', 'Schneidebretter'],
    titles: ['Schneidebrett {linie}, {material}, 40×25 cm', 'Servierbrett {linie}, {material}'],
    vars: { material: ['Eiche', 'Akazie', 'Nussbaum'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [19, 59],
    count: 10,
  },
  {
    path: ['Tisch', 'Tassen & Becher'],
    titles: ['Teetassen {linie}, {material}, 2er-Set', 'Teetassen {linie}, {material}, 4er-Set'],
    vars: { material: ['Steingut', 'Porzellan'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [19, 45],
    count: 14,
  },
  {
    path: ['Tisch', 'Tassen & Becher'],
    titles: ['Kaffeebecher {linie}, {material}, 350 ml', 'Becher {linie}, {material}, 250 ml'],
    vars: { material: ['Steingut', 'Porzellan', 'Emaille'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [9, 19],
    count: 12,
  },
  {
    path: ['Tisch', 'Teller & Schalen'],
    titles: ['Frühstücksteller {linie}, {material}, Ø 21 cm', 'Müslischale {linie}, {material}'],
    vars: { material: ['Steingut', 'Porzellan'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [8, 24],
    count: 16,
  },
  {
    path: ['Tisch', 'Servietten'],
    titles: ['Papierservietten {farbe}, 20 Stück', 'Papierservietten {linie}, 40 Stück'],
    vars: { material: ['Papier'] },
    attributes: ['material', 'farbe'],
    price: [3, 7],
    count: 8,
  },
  {
    path: ['Tisch', 'Servietten'],
    titles: ['Stoffservietten {linie}, {material}, 4 Stück'],
    vars: { material: ['Leinen', 'Baumwolle'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [14, 29],
    count: 6,
  },
  {
    path: ['Tisch', 'Tischdecken'],
    titles: ['Tischdecke {linie}, {material}, 140×220 cm', 'Tischläufer {linie}, {material}, 40×150 cm'],
    vars: { material: ['Leinen', 'Baumwolle'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [24, 89],
    count: 12,
  },
  {
    path: ['Wohnen', 'Kerzen'],
    titles: ['Duftkerze {duft} im Glas', 'Duftkerze {duft}, 3 Dochte', 'Duftkerze {duft}, Reisedose'],
    vars: { duft: SCENTS, material: ['Sojawachs', 'Rapswachs'] },
    attributes: ['duft', 'material'],
    price: [9, 34],
    count: 18,
  },
  {
    path: ['Wohnen', 'Kerzen'],
    titles: ['Stabkerzen {farbe}, 6 Stück', 'Stumpenkerze {farbe}, 7×10 cm'],
    vars: { material: ['Stearin', 'Rapswachs'] },
    attributes: ['material', 'farbe'],
    price: [5, 14],
    count: 12,
  },
  {
    path: ['Wohnen', 'Kerzenhalter'],
    titles: [
      'Kerzenhalter {linie}, {material}',
      'Kerzenhalter {linie}, {material}, 3er-Set',
      'Windlicht {linie}',
    ],
    vars: { material: ['Messing', 'Keramik', 'Eisen', 'Glas'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [12, 69],
    count: 16,
  },
  {
    path: ['Wohnen', 'Körbe'],
    titles: ['Korb {linie}, {material}, Ø 30 cm', 'Aufbewahrungskorb {linie}, {material}'],
    vars: { material: ['Seegras', 'Jute', 'Rattan'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [19, 59],
    count: 10,
  },
  {
    path: ['Deko', 'Vasen'],
    titles: ['Vase {linie}, {material}, 25 cm', 'Vase {linie}, {material}, 40 cm'],
    vars: { material: ['Keramik', 'Glas', 'Steinzeug'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [19, 69],
    count: 16,
  },
  {
    path: ['Deko', 'Vasen'],
    titles: ['Bodenvase {linie}, {material}, 60 cm'],
    vars: { material: ['Keramik', 'Steinzeug'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [59, 129],
    count: 5,
  },
  {
    path: ['Deko', 'Trockenblumen'],
    titles: ['Trockenblumenstrauß {linie}, {material}', 'Pampasgras {farbe}, 5 Stiele'],
    vars: { material: ['Pampasgras', 'Lavendel', 'Eukalyptus', 'Strandflieder'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [12, 45],
    count: 12,
  },
  {
    path: ['Deko', 'Bilderrahmen'],
    titles: ['Bilderrahmen {linie}, {material}, 13×18 cm', 'Bilderrahmen {linie}, {material}, 30×40 cm'],
    vars: { material: ['Eiche', 'Aluminium', 'Messing'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [9, 49],
    count: 10,
  },
  {
    path: ['Textil', 'Kissen'],
    titles: ['{material}kissen {linie} 50×50 cm', '{material}kissen {linie} 40×60 cm'],
    vars: { material: ['Leinen', 'Samt', 'Bouclé', 'Strick'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [19, 59],
    count: 20,
  },
  {
    path: ['Textil', 'Decken'],
    titles: ['Wohndecke {linie}, {material}, 130×170 cm', 'Plaid {linie}, {material}, 150×200 cm'],
    vars: { material: ['Wolle', 'Baumwolle', 'Kaschmir-Mix'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [39, 189],
    count: 12,
  },
  {
    path: ['Bad', 'Handtücher'],
    titles: ['Handtuch {linie}, {material}, 50×100 cm', 'Duschtuch {linie}, {material}, 70×140 cm'],
    vars: { material: ['Frottee', 'Waffelpiqué', 'Leinen'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [12, 49],
    count: 14,
  },
  {
    path: ['Bad', 'Seifen'],
    titles: ['Seife {duft}, 100 g', 'Flüssigseife {duft}, 300 ml'],
    vars: { duft: SCENTS, material: ['Olivenöl', 'Sheabutter'] },
    attributes: ['duft', 'material'],
    price: [4, 16],
    count: 12,
  },
  {
    path: ['Garten', 'Pflanztöpfe'],
    titles: ['Pflanztopf {linie}, {material}, Ø 18 cm', 'Pflanztopf {linie}, {material}, Ø 30 cm'],
    vars: { material: ['Terrakotta', 'Zink', 'Keramik'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [9, 79],
    count: 18,
  },
  {
    path: ['Garten', 'Gießkannen'],
    titles: ['Gießkanne {linie}, {material}, 1,5 l', 'Zimmergießkanne {linie}, {material}, 0,7 l'],
    vars: { material: ['Zink', 'Messing', 'Kunststoff'] },
    attributes: ['material', 'farbe', 'linie'],
    price: [14, 59],
    count: 8,
  },
  {
    path: ['Geschenke', 'Gutscheine'],
    titles: ['Geschenkgutschein {wert} €'],
    vars: { wert: ['10', '25', '50', '100'] },
    attributes: [],
    price: [10, 100],
    count: 4,
  },
  {
    path: ['Geschenke', 'Geschenksets'],
    titles: [
      'Geschenkset „Teezeit {linie}“',
      'Geschenkset „Wohlfühlen {linie}“',
      'Geschenkset „Kerzenschein {linie}“',
    ],
    attributes: ['linie'],
    price: [29, 79],
    count: 12,
  },
  {
    path: ['Geschenke', 'Grußkarten'],
    titles: ['Grußkarte „{anlass}“ {linie}'],
    vars: { anlass: ['Alles Liebe', 'Danke', 'Herzlichen Glückwunsch', 'Frohe Weihnachten'] },
    attributes: ['anlass'],
    price: [2, 4],
    count: 10,
  },
];

/** Buying from the key often comes with something from these subcategories. */
export const GOES_WITH: Readonly<Record<string, readonly string[]>> = {
  Teekannen: ['Tassen & Becher', 'Tee'],
  Kerzen: ['Kerzenhalter'],
  Kerzenhalter: ['Kerzen'],
  Vasen: ['Trockenblumen'],
  Kaffee: ['Tassen & Becher'],
  Tischdecken: ['Servietten'],
  Pflanztöpfe: ['Gießkannen'],
  Kissen: ['Decken'],
  Handtücher: ['Seifen'],
  Geschenksets: ['Grußkarten'],
};

/** Bestsellers that draw visitors in: how much likelier a visit starts there (default 1). */
export const DRAW: Readonly<Record<string, number>> = { Teekannen: 4, Kerzen: 3, Vasen: 3, Kissen: 2 };

/** Bought again every few weeks by loyal customers. */
export const CONSUMABLES: ReadonlySet<string> = new Set(['Tee', 'Kaffee', 'Kerzen', 'Servietten', 'Seifen']);

/** What shoppers type into the search box, and where they end up. */
export const QUERIES: ReadonlyArray<readonly [query: string, subcategory: string]> = [
  ['teekanne', 'Teekannen'],
  ['teekanne glas', 'Teekannen'],
  ['earl grey', 'Tee'],
  ['tee lose', 'Tee'],
  ['espresso', 'Kaffee'],
  ['kerze vanille', 'Kerzen'],
  ['duftkerze', 'Kerzen'],
  ['kerzenständer messing', 'Kerzenhalter'],
  ['vase', 'Vasen'],
  ['pampasgras', 'Trockenblumen'],
  ['tassen set', 'Tassen & Becher'],
  ['leinen tischdecke', 'Tischdecken'],
  ['kissen salbei', 'Kissen'],
  ['kuscheldecke', 'Decken'],
  ['handtuch', 'Handtücher'],
  ['blumentopf', 'Pflanztöpfe'],
  ['geschenk für mama', 'Geschenksets'],
  ['gutschein', 'Gutscheine'],
];
