import { recordOfProcessing, renderNotice, renderRecordOfProcessing } from '@vitrine/policy';
import { documentFrame } from '@vitrine/web';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ShopRuntime } from '../../runtime/shop-runtime';
import type { Edge } from '../edge';
import { languageOf, query } from '../validate';
import { customerPageCsp, shopPageInfo } from './pages';

type DocumentEnv = { Variables: { shop: ShopRuntime } };

/**
 * Documents generated from the shop's policy (T2, D4), public like any privacy notice. Mounted
 * at `/s`. They state only the measures that are built and enabled (`measures`). The HTML pages
 * have the customer pages' styling, the date the notice in force was published ("Stand"), the
 * withdrawal path as a link to the privacy center, and may be framed by the shop's origins.
 */
export function documentRoutes({ deps, shop, pages, measures }: Edge) {
  // The shop named in the path; no key, as the documents are public.
  const shopOfPath: MiddlewareHandler<DocumentEnv> = async (c, next) => {
    c.set('shop', await shop(c.req.param('shopId') ?? ''));
    await next();
  };
  const lang = query((q) => languageOf((q as { language?: unknown }).language));
  const framed = async (c: Context<DocumentEnv>, rt: ShopRuntime, l: 'de' | 'en') => {
    // An API-only service (no customer pages): the plain documents, naming no privacy center.
    if (!pages.enabled) return { frame: undefined, center: undefined, measures: measures(rt.shop.id) };
    const info = await shopPageInfo(deps, rt, l, pages.demo, (other) => `${c.req.path}?lang=${other}`);
    c.header('content-security-policy', customerPageCsp(info.origins));
    const frame = documentFrame({
      lang: l,
      shopName: rt.policy.controller.name,
      links: info.links,
      since: info.since,
      version: rt.notice.version,
    });
    const m = measures(rt.shop.id);
    // The privacy center the rights section names: the shop's own page when the shop has an
    // origin (where the customer's data is at hand), else Vitrine's.
    const privacyCenter =
      m.privacyCenter && (info.origins[0] !== undefined ? info.links.center : m.privacyCenter);
    return { frame, center: info.links.center, measures: { ...m, privacyCenter } };
  };
  return new Hono<DocumentEnv>()
    .use('/:shopId/*', shopOfPath)
    .get('/:shopId/privacy', lang, async (c) => {
      const l = c.req.valid('query');
      const f = await framed(c, c.var.shop, l);
      return c.html(
        renderNotice(c.var.shop.policy, l, f.measures, {
          ...(f.center !== undefined ? { withdrawalHref: f.center } : {}),
          ...(f.frame !== undefined ? { frame: f.frame } : {}),
        }),
      );
    })
    .get('/:shopId/record-of-processing.json', (c) =>
      c.json(recordOfProcessing(c.var.shop.policy, measures(c.var.shop.shop.id))),
    )
    .get('/:shopId/record-of-processing.html', lang, async (c) => {
      const l = c.req.valid('query');
      const f = await framed(c, c.var.shop, l);
      return c.html(renderRecordOfProcessing(c.var.shop.policy, l, f.measures, f.frame));
    });
}
