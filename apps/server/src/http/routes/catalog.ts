import { ITEM_ID, ItemsUpsertRequest, type ItemsUpsertResponse, parseWith } from '@vitrine/contracts';
import { Hono } from 'hono';
import { getItem, upsertShopCatalog } from '../../flows/catalog';
import type { Edge } from '../edge';
import type { ShopEnv } from '../shop-scope';
import { json } from '../validate';

/** The catalog (the shop's server only). */
export function catalogRoutes({ deps, scopes, idempotent }: Edge) {
  return new Hono<ShopEnv>()
    .post(
      '/items',
      scopes.server,
      json((v) => parseWith(ItemsUpsertRequest, v, 'item batch')),
      idempotent,
      async (c) => {
        const { items } = c.req.valid('json');
        const r = await upsertShopCatalog(
          deps,
          c.var.shop,
          items.map((raw, index) => ({ index, raw })),
          { strict: c.req.query('strict') === 'true' },
        );
        return c.json({ upserted: r.upserted, rejected: r.rejected } satisfies ItemsUpsertResponse);
      },
    )
    .get('/items/:id', scopes.server, async (c) =>
      c.json(await getItem(deps, c.var.shop, parseWith(ITEM_ID, c.req.param('id'), 'item id', 'id'))),
    );
}
