import type { Lang } from '../texts';

/** The demo storefront's own words, German and English (the catalog's titles are German). */
const de = {
  locale: 'de-DE',
  skip: 'Zum Inhalt springen',
  home: 'Startseite',
  categories: 'Kategorien',
  subcategories: (name: string) => `Unterkategorien von ${name}`,
  search: 'Suche',
  searchLabel: 'Artikel suchen',
  searchButton: 'Suchen',
  cart: 'Warenkorb',
  service: 'Service',
  cartCount: (n: number) => `Warenkorb (${n})`,
  privacy: 'Datenschutz',
  otherLanguage: 'English',
  otherLanguageCode: 'en',
  demoNote:
    'Ein Demo-Shop von Vitrine mit erfundenen Artikeln: Nichts wird verkauft oder verschickt. Hier sehen Sie, wie Ihre Kundinnen und Kunden die Personalisierung selbst steuern.',
  heroTitle: 'Willkommen im Beispiel-Shop',
  heroSteps: [
    'Wählen Sie im Dialog unten eine Stufe – oder lehnen Sie ab: Der Shop funktioniert trotzdem.',
    'Sehen Sie sich ein paar Artikel an und legen Sie etwas in den Warenkorb.',
    'Bei jedem Vorschlag sagt „Warum?“, worauf er beruht; „Nicht mehr verwenden“ nimmt einen Grund heraus.',
    'Unter „Datenschutz“ sehen Sie alles, was gespeichert ist, laden es herunter oder löschen es.',
  ],
  forYou: 'Für Sie ausgewählt',
  trending: 'Gerade beliebt',
  similar: 'Ähnliche Artikel',
  together: 'Wird oft zusammen gekauft',
  alsoForYou: 'Das könnte Ihnen auch gefallen',
  offer: 'Passt dazu',
  allIn: (name: string) => `Alles in ${name}`,
  items: (n: number) => `${n} Artikel`,
  sortedPersonal:
    'Sortiert nach dem, was Sie sich angesehen haben (Ihre Wahl in den Datenschutz-Einstellungen).',
  sortedNeutral: 'Für alle gleich sortiert.',
  sortedOnDevice: 'Auf Ihrem Gerät sortiert; nichts davon hat Ihr Gerät verlassen.',
  addToCart: 'In den Warenkorb',
  added: (title: string) => `„${title}“ liegt im Warenkorb.`,
  inStock: 'Lieferbar',
  soldOut: 'Ausverkauft',
  price: 'Preis',
  cartEmpty: 'Ihr Warenkorb ist leer.',
  quantity: 'Menge',
  item: 'Artikel',
  total: 'Summe',
  removeItem: (title: string) => `„${title}“ entfernen`,
  remove: 'Entfernen',
  toCheckout: 'Zur Kasse',
  checkout: 'Kasse',
  checkoutNote:
    'Demo: Es wird nichts bestellt, bezahlt oder verschickt. Der Kauf zählt nur als Ereignis, wenn Sie es erlaubt haben.',
  buy: 'Jetzt kaufen',
  thanks: (order: string) => `Danke! Ihre Demo-Bestellung ${order} ist „aufgegeben“.`,
  searchResults: (q: string, n: number) => `${n} Treffer für „${q}“`,
  noResults: 'Keine Treffer. Versuchen Sie „Tee“, „Kerze“ oder „Vase“.',
  privacyTitle: 'Datenschutz und Personalisierung',
  privacyIntro:
    'Das Datenschutz-Center von Vitrine, eingebettet in diese Seite: Ihre Wahl, alles, was gespeichert ist, Download, Korrektur, Pause und Löschen.',
  notFound: 'Diesen Artikel gibt es nicht (mehr).',
} as const;

type Texts = {
  [K in keyof typeof de]: (typeof de)[K] extends (...a: infer A) => string
    ? (...a: A) => string
    : (typeof de)[K] extends readonly string[]
      ? readonly string[]
      : string;
};

const en: Texts = {
  locale: 'en-GB',
  skip: 'Skip to content',
  home: 'Home',
  categories: 'Categories',
  subcategories: (name) => `Subcategories of ${name}`,
  search: 'Search',
  searchLabel: 'Search items',
  searchButton: 'Search',
  cart: 'Cart',
  service: 'Service',
  cartCount: (n) => `Cart (${n})`,
  privacy: 'Privacy',
  otherLanguage: 'Deutsch',
  otherLanguageCode: 'de',
  demoNote:
    'A Vitrine demo shop with made-up items: nothing is sold or shipped. It shows how your customers control personalization themselves.',
  heroTitle: 'Welcome to the example shop',
  heroSteps: [
    'Choose a level in the dialog below – or reject: the shop works all the same.',
    'Look at a few items and put something into the cart.',
    'Every suggestion says “Why?” it is there; “Stop using this” takes a reason out.',
    'Under “Privacy” you see everything stored, download it or delete it.',
  ],
  forYou: 'Picked for you',
  trending: 'Popular right now',
  similar: 'Similar items',
  together: 'Often bought together',
  alsoForYou: 'You might also like',
  offer: 'Goes with it',
  allIn: (name) => `Everything in ${name}`,
  items: (n) => `${n} items`,
  sortedPersonal: 'Sorted by what you looked at (your choice in the privacy settings).',
  sortedNeutral: 'Sorted the same for everyone.',
  sortedOnDevice: 'Sorted on your device; none of it left your device.',
  addToCart: 'Add to cart',
  added: (title) => `“${title}” is in your cart.`,
  inStock: 'In stock',
  soldOut: 'Sold out',
  price: 'Price',
  cartEmpty: 'Your cart is empty.',
  quantity: 'Quantity',
  item: 'Item',
  total: 'Total',
  removeItem: (title) => `Remove “${title}”`,
  remove: 'Remove',
  toCheckout: 'Checkout',
  checkout: 'Checkout',
  checkoutNote:
    'Demo: nothing is ordered, paid or shipped. The purchase counts as an event only if you allowed it.',
  buy: 'Buy now',
  thanks: (order) => `Thank you! Your demo order ${order} is “placed”.`,
  searchResults: (q, n) => `${n} results for “${q}”`,
  noResults: 'No results. Try “Tee”, “Kerze” or “Vase”.',
  privacyTitle: 'Privacy and personalization',
  privacyIntro:
    "Vitrine's privacy center, embedded in this page: your choice, everything stored, download, correction, pause and deletion.",
  notFound: 'This item does not exist (any more).',
};

export type ShopTexts = Texts;
export const SHOP_TEXTS: Record<Lang, Texts> = { de, en };
