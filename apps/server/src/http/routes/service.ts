import { Hono } from 'hono';
import type { Edge } from '../edge';
import { landingPage } from '../landing';

const GPC_LAST_UPDATE = '2026-11-23';

/**
 * The service itself: the landing page, the health checks and the GPC support resource.
 * `/healthz` says the process answers; `/readyz` whether it can serve: 503 when the store does
 * not answer, 200 otherwise, listing any shop that cannot be served and why (`degraded`), as
 * one bad shop must not take the others out of service.
 */
export function serviceRoutes({ deps, listShops, readiness, pages }: Edge) {
  return (
    new Hono()
      .get('/', async (c) =>
        c.html(
          landingPage(listShops ? await deps.store.shops.list() : [], pages.demo ? '/demo/' : undefined),
        ),
      )
      .get('/healthz', (c) => c.json({ status: 'ok', store: deps.store.dialect }))
      .get('/readyz', async (c) => {
        const r = await readiness();
        if (r.status === 'unavailable') c.header('Retry-After', '5');
        return c.json(r, r.status === 'unavailable' ? 503 : 200);
      })
      // O2: the GPC support resource.
      .get('/.well-known/gpc.json', (c) => c.json({ gpc: true, lastUpdate: GPC_LAST_UPDATE }))
  );
}
