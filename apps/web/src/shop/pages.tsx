import type { Child } from 'hono/jsx';
import { Page, render } from '../layout';
import type { Lang } from '../texts';
import { SHOP_TEXTS } from './texts';

/** Where the storefront's script is served. */
export const SHOP_SCRIPT = '/assets/shop.js';
/** Where Vitrine serves the SDK bundle. */
export const SDK_SCRIPT = '/sdk/vitrine.js';

export interface ShopItem {
  id: string;
  title: string;
  price: number;
  categoryPath: string[];
  available: boolean;
}

/** One request's view of the demo storefront: the shop, the language, where things are. */
export interface Storefront {
  lang: Lang;
  /** Path prefix of the storefront, e.g. `/demo`. */
  base: string;
  /** The request's path below `base` (for the language switch). */
  path: string;
  shopName: string;
  shopId: string;
  publicKey: string;
  /** Vitrine's API origin, as the browser reaches it. */
  api: string;
  categories: Array<{ name: string; subs: string[] }>;
  docs: { notice: string; record: string };
}

/** What the storefront's script reads from the page. */
export type ShopPageData =
  | { page: 'home' }
  | { page: 'category'; items: string[] }
  | { page: 'product'; item: ShopItem }
  | { page: 'search'; q: string; items: string[] }
  | { page: 'cart' }
  | { page: 'checkout' }
  | { page: 'privacy' };

export type PageData = ShopPageData & { base: string; lang: Lang };

/** A storefront link in the page's language. */
export function link(
  sf: Pick<Storefront, 'base' | 'lang'>,
  path: string,
  query: Record<string, string> = {},
): string {
  const q = new URLSearchParams(query);
  if (sf.lang === 'en') q.set('lang', 'en');
  const s = q.toString();
  return `${sf.base}${path}${s ? `?${s}` : ''}`;
}

const enc = encodeURIComponent;
export const categoryPath = (path: readonly string[]) => `/k/${path.map(enc).join('/')}`;
export const productPath = (id: string) => `/p/${enc(id)}`;

const colour = (sf: Storefront, top: string | undefined) =>
  `c${
    Math.max(
      0,
      sf.categories.findIndex((c) => c.name === top),
    ) % 8
  }`;

const price = (sf: Storefront, p: number) =>
  new Intl.NumberFormat(SHOP_TEXTS[sf.lang].locale, { style: 'currency', currency: 'EUR' }).format(p);

function Header(props: { sf: Storefront }) {
  const { sf } = props;
  const t = SHOP_TEXTS[sf.lang];
  const otherHref = link({ base: sf.base, lang: sf.lang === 'en' ? 'de' : 'en' }, sf.path);
  return (
    <header class="top">
      <div class="in">
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <a class="brand" href={link(sf, '/')}>
          {sf.shopName}
        </a>
        <search>
          <form class="search" action={`${sf.base}/suche`} method="get">
            <label for="q" class="skip">
              {t.searchLabel}
            </label>
            <input id="q" name="q" type="search" placeholder={t.search} />
            {sf.lang === 'en' && <input type="hidden" name="lang" value="en" />}
            <button type="submit" class="btn alt">
              {t.searchButton}
            </button>
          </form>
        </search>
        <nav aria-label={t.service}>
          <ul>
            <li>
              <a href={link(sf, '/warenkorb')} id="cart-link" data-count="0">
                {t.cartCount(0)}
              </a>
            </li>
            <li>
              <a href={link(sf, '/datenschutz')}>{t.privacy}</a>
            </li>
            <li>
              <a href={otherHref} lang={t.otherLanguageCode} hreflang={t.otherLanguageCode}>
                {t.otherLanguage}
              </a>
            </li>
          </ul>
        </nav>
      </div>
      <div class="in">
        <nav aria-label={t.categories}>
          <ul>
            {sf.categories.map((c) => (
              <li>
                <a href={link(sf, categoryPath([c.name]))}>{c.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </header>
  );
}

function Footer(props: { sf: Storefront }) {
  const { sf } = props;
  const t = SHOP_TEXTS[sf.lang];
  return (
    <footer class="foot wrap">
      <p>{t.demoNote}</p>
      <ul>
        <li>
          <a href={link(sf, '/datenschutz')}>{t.privacy}</a>
        </li>
        <li>
          <a href={sf.docs.notice}>{sf.lang === 'en' ? 'Privacy notice' : 'Datenschutzhinweise'}</a>
        </li>
        <li>
          <a href={sf.docs.record}>
            {sf.lang === 'en'
              ? 'Record of processing activities'
              : 'Verzeichnis der Verarbeitungstätigkeiten'}
          </a>
        </li>
      </ul>
    </footer>
  );
}

function ShopPage(props: { sf: Storefront; title: string; data: ShopPageData; children: Child }) {
  const { sf } = props;
  return (
    <Page
      lang={sf.lang}
      title={`${props.title} – ${sf.shopName}`}
      header={<Header sf={sf} />}
      data={{ ...props.data, base: sf.base, lang: sf.lang } satisfies PageData}
      after={
        <>
          <Footer sf={sf} />
          {/* The SDK with one script tag (it starts itself from the data- attributes), then the shop's own script. */}
          <script
            src={SDK_SCRIPT}
            data-api={sf.api}
            data-public-key={sf.publicKey}
            data-shop={sf.shopId}
            data-lang={sf.lang}
          />
          <script src={SHOP_SCRIPT} />
        </>
      }
    >
      {props.children}
    </Page>
  );
}

function Tile(props: { sf: Storefront; item: ShopItem }) {
  const { sf, item } = props;
  const t = SHOP_TEXTS[sf.lang];
  return (
    <li class="tile" data-item={item.id}>
      <div class={`pic ${colour(sf, item.categoryPath[0])}`} aria-hidden="true">
        {item.categoryPath.join(' › ')}
      </div>
      <div class="body">
        <a href={link(sf, productPath(item.id))}>{item.title}</a>
        <span class="price">{price(sf, item.price)}</span>
        {!item.available && <span class="muted small">{t.soldOut}</span>}
      </div>
    </li>
  );
}

function Crumbs(props: { sf: Storefront; path: readonly string[]; last?: string }) {
  const { sf } = props;
  const t = SHOP_TEXTS[sf.lang];
  return (
    <nav class="crumbs" aria-label="Breadcrumb">
      <ol>
        <li>
          <a href={link(sf, '/')}>{t.home}</a>
        </li>
        {props.path.map((name, i) =>
          i === props.path.length - 1 && props.last === undefined ? (
            <li aria-current="page">{name}</li>
          ) : (
            <li>
              <a href={link(sf, categoryPath(props.path.slice(0, i + 1)))}>{name}</a>
            </li>
          ),
        )}
        {props.last !== undefined && <li aria-current="page">{props.last}</li>}
      </ol>
    </nav>
  );
}

/** A recommendation widget's place: the SDK renders into it (its own shadow root, with "Warum?"). */
const Recs = (props: { id: string }) => <div class="recs" id={props.id} />;

export function homePage(sf: Storefront): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={t.home} data={{ page: 'home' }}>
      <div class="hero">
        <h1>{t.heroTitle}</h1>
        <p>{t.demoNote}</p>
        <ol>
          {t.heroSteps.map((s) => (
            <li>{s}</li>
          ))}
        </ol>
      </div>
      <h2>{t.categories}</h2>
      <ul class="grid">
        {sf.categories.map((c, i) => (
          <li class="tile">
            <div class={`pic c${i % 8}`} aria-hidden="true">
              {c.subs.join(' · ')}
            </div>
            <div class="body">
              <a href={link(sf, categoryPath([c.name]))}>{c.name}</a>
            </div>
          </li>
        ))}
      </ul>
      <Recs id="recs-for-you" />
      <Recs id="recs-trending" />
    </ShopPage>,
  );
}

export function categoryPage(sf: Storefront, path: string[], items: ShopItem[]): string {
  const t = SHOP_TEXTS[sf.lang];
  const top = sf.categories.find((c) => c.name === path[0]);
  const name = path[path.length - 1] ?? '';
  return render(
    <ShopPage sf={sf} title={name} data={{ page: 'category', items: items.map((i) => i.id) }}>
      <Crumbs sf={sf} path={path} />
      <h1>{name}</h1>
      {path.length === 1 && top && (
        <nav aria-label={t.subcategories(top.name)}>
          <ul class="row">
            {top.subs.map((s) => (
              <li>
                <a href={link(sf, categoryPath([top.name, s]))}>{s}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <p class="muted">
        {t.items(items.length)} · <span id="rank-note" role="status" />
      </p>
      <ul class="grid" id="grid">
        {items.map((item) => (
          <Tile sf={sf} item={item} />
        ))}
      </ul>
    </ShopPage>,
  );
}

export function productPage(sf: Storefront, item: ShopItem): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={item.title} data={{ page: 'product', item }}>
      <Crumbs sf={sf} path={item.categoryPath} last={item.title} />
      <div class="product">
        <div class={`pic ${colour(sf, item.categoryPath[0])}`} aria-hidden="true">
          {item.categoryPath.join(' › ')}
        </div>
        <div>
          <h1>{item.title}</h1>
          <p class="price">{price(sf, item.price)}</p>
          <p>{item.available ? t.inStock : t.soldOut}</p>
          <div class="row">
            <button type="button" class="btn" id="add-to-cart" disabled={!item.available}>
              {t.addToCart}
            </button>
          </div>
          <p id="cart-status" role="status" aria-live="polite" />
        </div>
      </div>
      <Recs id="recs-similar" />
      <Recs id="recs-together" />
      <Recs id="recs-for-you" />
    </ShopPage>,
  );
}

export function searchPage(sf: Storefront, q: string, items: ShopItem[]): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={t.search} data={{ page: 'search', q, items: items.map((i) => i.id) }}>
      <h1>{t.searchResults(q, items.length)}</h1>
      {items.length === 0 ? (
        <p>{t.noResults}</p>
      ) : (
        <ul class="grid" id="grid">
          {items.map((item) => (
            <Tile sf={sf} item={item} />
          ))}
        </ul>
      )}
    </ShopPage>,
  );
}

export function cartPage(sf: Storefront): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={t.cart} data={{ page: 'cart' }}>
      <h1>{t.cart}</h1>
      <div id="cart" />
      <p id="cart-status" role="status" aria-live="polite" />
      <div class="row">
        <a class="btn" href={link(sf, '/kasse')} id="to-checkout">
          {t.toCheckout}
        </a>
      </div>
      <Recs id="recs-offer" />
    </ShopPage>,
  );
}

export function checkoutPage(sf: Storefront): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={t.checkout} data={{ page: 'checkout' }}>
      <h1>{t.checkout}</h1>
      <p class="note">{t.checkoutNote}</p>
      <div id="cart" />
      <div class="row">
        <button type="button" class="btn" id="buy">
          {t.buy}
        </button>
      </div>
      <p id="cart-status" role="status" aria-live="polite" />
      <Recs id="recs-offer" />
    </ShopPage>,
  );
}

export function privacyPage(sf: Storefront): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={t.privacyTitle} data={{ page: 'privacy' }}>
      <h1>{t.privacyTitle}</h1>
      <p>{t.privacyIntro}</p>
      <div id="center" />
    </ShopPage>,
  );
}

export function notFoundPage(sf: Storefront): string {
  const t = SHOP_TEXTS[sf.lang];
  return render(
    <ShopPage sf={sf} title={t.notFound} data={{ page: 'home' }}>
      <h1>{t.notFound}</h1>
      <p>
        <a href={link(sf, '/')}>{t.home}</a>
      </p>
    </ShopPage>,
  );
}
