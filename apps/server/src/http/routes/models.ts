import { Hono } from 'hono';
import type { Edge } from '../edge';
import type { ShopEnv } from '../shop-scope';

/** The shop's shared models (the shop's server only). */
export function modelRoutes({ deps, scopes }: Edge) {
  // A full rebuild of the shop's shared models from stored events (also run at start-up).
  return new Hono<ShopEnv>().post('/models/rebuild', scopes.server, (c) => {
    deps.models.rebuild(c.var.shop.shop.id);
    return c.json({ status: 'scheduled' }, 202);
  });
}
