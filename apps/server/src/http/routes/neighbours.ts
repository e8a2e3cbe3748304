import { Hono } from 'hono';
import { neighbourTable } from '../../flows/neighbours';
import type { Edge } from '../edge';
import type { ShopEnv } from '../shop-scope';

/** The item-neighbour table for on-device ranking: non-personal, for the browser (public key) or the server. */
export function neighbourRoutes({ deps, scopes }: Edge) {
  return new Hono<ShopEnv>().get('/neighbours', scopes.browser, (c) => {
    c.header('cache-control', 'private, max-age=300');
    return c.json(neighbourTable(deps, c.var.shop));
  });
}
