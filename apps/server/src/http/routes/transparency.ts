import { renderTransparency } from '@vitrine/policy';
import { Hono, type MiddlewareHandler } from 'hono';
import { transparencyReport } from '../../flows/transparency';
import type { ShopRuntime } from '../../runtime/shop-runtime';
import type { Edge } from '../edge';
import { languageOf, query } from '../validate';

type PublicEnv = { Variables: { shop: ShopRuntime } };

/**
 * Public proof, no key needed (mounted at `/s`): the transparency report (JSON with
 * `?format=json` or `Accept: application/json`, else an HTML page in German or English) and the
 * latest signed checkpoint of the shop's audit log with the key to check it (D5).
 */
export function transparencyRoutes({ deps, shop }: Edge) {
  const shopOfPath: MiddlewareHandler<PublicEnv> = async (c, next) => {
    c.set('shop', await shop(c.req.param('shopId') ?? ''));
    await next();
  };
  const lang = query((q) => {
    const v = q as { language?: unknown; format?: unknown };
    return { language: languageOf(v.language), json: v.format === 'json' };
  });
  return new Hono<PublicEnv>()
    .get('/:shopId/transparency', shopOfPath, lang, async (c) => {
      const report = await transparencyReport(deps, c.var.shop);
      const q = c.req.valid('query');
      if (q.json || (c.req.header('accept') ?? '').includes('application/json')) return c.json(report);
      return c.html(renderTransparency(c.var.shop.policy, report, q.language));
    })
    .get('/:shopId/audit/checkpoint', shopOfPath, async (c) => {
      const shopId = c.var.shop.shop.id;
      const checkpoint = await deps.audit.checkpoint(shopId);
      return c.json({
        shop_id: shopId,
        size: checkpoint.size,
        root_hash: checkpoint.rootHash,
        signed_at: new Date(checkpoint.timestamp).toISOString(),
        checkpoint: checkpoint.text,
        public_key: await deps.audit.publicKey(shopId),
      });
    });
}
