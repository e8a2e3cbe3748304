import { recordOfProcessing, renderNotice, renderRecordOfProcessing } from '@vitrine/policy';
import { Hono, type MiddlewareHandler } from 'hono';
import type { ShopRuntime } from '../../runtime/shop-runtime';
import type { Edge } from '../edge';
import { languageOf, query } from '../validate';

type DocumentEnv = { Variables: { shop: ShopRuntime } };

/** Documents generated from the shop's policy (T2, D4), public like any privacy notice. Mounted at `/s`. */
export function documentRoutes({ shop, measures }: Edge) {
  // The shop named in the path; no key, as the documents are public.
  const shopOfPath: MiddlewareHandler<DocumentEnv> = async (c, next) => {
    c.set('shop', await shop(c.req.param('shopId') ?? ''));
    await next();
  };
  const lang = query((q) => languageOf((q as { language?: unknown }).language));
  return new Hono<DocumentEnv>()
    .use('/:shopId/*', shopOfPath)
    .get('/:shopId/privacy', lang, (c) =>
      c.html(renderNotice(c.var.shop.policy, c.req.valid('query'), measures(c.var.shop.shop.id))),
    )
    .get('/:shopId/record-of-processing.json', (c) =>
      c.json(recordOfProcessing(c.var.shop.policy, measures(c.var.shop.shop.id))),
    )
    .get('/:shopId/record-of-processing.html', lang, (c) =>
      c.html(renderRecordOfProcessing(c.var.shop.policy, c.req.valid('query'), measures(c.var.shop.shop.id))),
    );
}
