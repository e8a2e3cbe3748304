import type { Language } from '@vitrine/contracts';
import { categoryFacts, noticeDialog } from '@vitrine/policy';
import {
  cartPage,
  categoryPage,
  checkoutPage,
  type DocLinks,
  homePage,
  notFoundPage,
  PAGE_CSS,
  privacyCenterPage,
  privacyPage,
  productPage,
  type ShopItem,
  type Storefront,
  searchPage,
} from '@vitrine/web';
import { type Context, Hono } from 'hono';
import type { Deps } from '../../deps';
import type { ShopRuntime } from '../../runtime/shop-runtime';
import { readAsset } from '../assets';
import type { DemoStorefront, Edge } from '../edge';
import { languageOf } from '../validate';

/** Path prefix of the demo storefront. */
export const DEMO_BASE = '/demo';

/**
 * Content-Security-Policy of a customer page: scripts, styles and API calls from Vitrine only
 * (no inline code), and framing by Vitrine itself and the shop's configured origins only —
 * instead of `X-Frame-Options: SAMEORIGIN`, which would keep the shop from embedding it.
 */
export function customerPageCsp(ancestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${["'self'", ...ancestors].join(' ')}`,
  ].join('; ');
}

/** What every customer page of a shop needs: who may frame it, its links, and the date its notice holds from. */
export async function shopPageInfo(
  deps: Deps,
  rt: ShopRuntime,
  lang: Language,
  demo: DemoStorefront | undefined,
  otherLanguage: (lang: Language) => string,
): Promise<{ origins: string[]; links: DocLinks; since: number }> {
  const [row, notice] = await Promise.all([
    deps.store.shops.get(rt.shop.id),
    deps.store.notices.get(rt.shop.id, rt.notice.id, rt.notice.version, lang),
  ]);
  const origins = row?.origins ?? [];
  const id = encodeURIComponent(rt.shop.id);
  // Withdrawal happens where the customer's subject is known: the shop's own privacy page (where
  // the center is embedded), the demo storefront's, or Vitrine's center, which then asks its opener.
  const center =
    origins[0] !== undefined
      ? `${origins[0]}${rt.policy.withdrawal.path}`
      : demo?.shopId === rt.shop.id
        ? `${DEMO_BASE}/datenschutz${lang === 'en' ? '?lang=en' : ''}`
        : `/s/${id}/privacy-center?lang=${lang}`;
  return {
    origins,
    since: notice?.createdAt ?? rt.shop.createdAt,
    links: {
      notice: `/s/${id}/privacy?lang=${lang}`,
      record: `/s/${id}/record-of-processing.html?lang=${lang}`,
      center,
      otherLanguage: otherLanguage(lang === 'de' ? 'en' : 'de'),
    },
  };
}

const js = (body: Buffer, extra: Record<string, string> = {}) =>
  new Response(new Uint8Array(body), {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      ...extra,
    },
  });

/**
 * The customer pages and what they load: the SDK bundle (`/sdk/vitrine.js`), the pages' style
 * and scripts (`/assets/…`), the privacy center (`/s/{shop}/privacy-center`), and with `npm start`
 * the demo storefront (`/demo/`).
 */
export function pageRoutes({ deps, shop, pages }: Edge) {
  const { assets, demo } = pages;
  const app = new Hono()
    // Any shop's page loads it (also with `crossorigin` and Subresource Integrity).
    .get('/sdk/vitrine.js', async () =>
      js(await readAsset(assets.sdk, 'vitrine.js'), { 'access-control-allow-origin': '*' }),
    )
    .get('/assets/vitrine.css', (c) => {
      c.header('cache-control', 'public, max-age=300');
      return c.body(PAGE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' });
    })
    .get('/assets/center.js', async () => js(await readAsset(assets.web, 'center.js')))
    .get('/assets/shop.js', async () => js(await readAsset(assets.web, 'shop.js')))
    .get('/s/:shopId/privacy-center', async (c) => {
      const rt = await shop(c.req.param('shopId'));
      const lang = languageOf(c.req.query('lang') ?? c.req.query('language'));
      const self = `/s/${encodeURIComponent(rt.shop.id)}/privacy-center`;
      const info = await shopPageInfo(deps, rt, lang, demo, (l) => `${self}?lang=${l}`);
      c.header('content-security-policy', customerPageCsp(info.origins));
      c.header('referrer-policy', 'no-referrer');
      return c.html(
        privacyCenterPage({
          shopName: rt.policy.controller.name,
          links: info.links,
          embedded: c.req.query('embed') === '1',
          data: {
            shop: rt.shop.id,
            lang,
            peers: [new URL(c.req.url).origin, ...info.origins],
            dialog: noticeDialog(rt.policy, lang),
            categories: categoryFacts(rt.policy, lang),
          },
        }),
      );
    });
  if (demo) {
    const storefront = storefrontRoutes(deps, () => shop(demo.shopId), demo);
    app.route(DEMO_BASE, storefront.app);
    app.get(`${DEMO_BASE}/`, storefront.home); // `/demo/` as well as `/demo`
  }
  return app;
}

/** The demo catalog as the storefront shows it: categories in catalog order, items per category. */
function catalogOf(rt: ShopRuntime): { items: ShopItem[]; categories: Storefront['categories'] } {
  const items: ShopItem[] = [...rt.catalog.values()].map((i) => ({
    id: i.id,
    title: i.title,
    price: i.price,
    categoryPath: i.categoryPath,
    available: i.available,
  }));
  const tops = new Map<string, string[]>();
  for (const i of items) {
    const [top, sub] = i.categoryPath;
    if (top === undefined) continue;
    const subs = tops.get(top) ?? [];
    if (sub !== undefined && !subs.includes(sub)) subs.push(sub);
    tops.set(top, subs);
  }
  return { items, categories: [...tops].map(([name, subs]) => ({ name, subs })) };
}

/** The demo storefront: plain server-rendered pages; the SDK does consent, tracking and widgets. */
function storefrontRoutes(deps: Deps, demoShop: () => Promise<ShopRuntime>, demo: DemoStorefront) {
  const context = async (c: Context, path: string) => {
    const rt = await demoShop();
    const lang = c.req.query('lang') === 'en' ? 'en' : 'de';
    const info = await shopPageInfo(deps, rt, lang, demo, () => '');
    const { items, categories } = catalogOf(rt);
    const sf: Storefront = {
      lang,
      base: DEMO_BASE,
      path,
      shopName: rt.shop.name,
      shopId: rt.shop.id,
      publicKey: demo.publicKey,
      api: new URL(c.req.url).origin,
      categories,
      docs: { notice: info.links.notice, record: info.links.record },
    };
    c.header('content-security-policy', customerPageCsp(info.origins));
    return { sf, items };
  };
  const home = async (c: Context) => c.html(homePage((await context(c, '/')).sf));
  const app = new Hono()
    .get('/', home)
    .get('/k/*', async (c) => {
      const rest = c.req.path.slice(`${DEMO_BASE}/k/`.length);
      const path = rest.split('/').filter(Boolean).map(decodeURIComponent);
      const { sf, items } = await context(c, `/k/${rest}`);
      const inside = items.filter((i) => path.every((p, n) => i.categoryPath[n] === p));
      if (path.length === 0 || inside.length === 0) return c.html(notFoundPage(sf), 404);
      return c.html(categoryPage(sf, path, inside));
    })
    .get('/p/:id', async (c) => {
      const id = c.req.param('id');
      const { sf, items } = await context(c, `/p/${encodeURIComponent(id)}`);
      const item = items.find((i) => i.id === id);
      return item ? c.html(productPage(sf, item)) : c.html(notFoundPage(sf), 404);
    })
    .get('/suche', async (c) => {
      const q = (c.req.query('q') ?? '').trim().slice(0, 100);
      const { sf, items } = await context(c, '/suche');
      const words = q.toLocaleLowerCase('de').split(/\s+/).filter(Boolean);
      const found =
        words.length === 0
          ? []
          : items.filter((i) => words.every((w) => i.title.toLocaleLowerCase('de').includes(w))).slice(0, 48);
      return c.html(searchPage(sf, q, found));
    })
    .get('/warenkorb', async (c) => c.html(cartPage((await context(c, '/warenkorb')).sf)))
    .get('/kasse', async (c) => c.html(checkoutPage((await context(c, '/kasse')).sf)))
    .get('/datenschutz', async (c) => c.html(privacyPage((await context(c, '/datenschutz')).sf)));
  return { app, home };
}
