import { Hono } from 'hono';
import type { Edge } from '../edge';
import { landingPage } from '../landing';

const GPC_LAST_UPDATE = '2026-11-23';

/** The service itself: the landing page, the health check and the GPC support resource. */
export function serviceRoutes({ deps, listShops, pages }: Edge) {
  return (
    new Hono()
      .get('/', async (c) =>
        c.html(
          landingPage(listShops ? await deps.store.shops.list() : [], pages.demo ? '/demo/' : undefined),
        ),
      )
      .get('/healthz', (c) => c.json({ status: 'ok', store: deps.store.dialect }))
      // O2: the GPC support resource.
      .get('/.well-known/gpc.json', (c) => c.json({ gpc: true, lastUpdate: GPC_LAST_UPDATE }))
  );
}
