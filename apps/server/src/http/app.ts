import { setTimeout as delay } from 'node:timers/promises';
import { isVitrineError } from '@vitrine/contracts';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { DEFAULT_LIMITS, type Limits } from '../config';
import type { Vitrine } from '../vitrine';
import { type AssetDirs, defaultAssetDirs } from './assets';
import { bodyRules } from './body';
import type { DemoStorefront, Edge } from './edge';
import { errorResponse, routeOf } from './errors';
import { idempotency } from './idempotency';
import { RateLimiter } from './rate-limit';
import { catalogRoutes } from './routes/catalog';
import { consentRoutes } from './routes/consent';
import { documentRoutes } from './routes/documents';
import { eventRoutes } from './routes/events';
import { modelRoutes } from './routes/models';
import { neighbourRoutes } from './routes/neighbours';
import { pageRoutes } from './routes/pages';
import { recommendationRoutes } from './routes/recommendations';
import { rightsRoutes } from './routes/rights';
import { serviceRoutes } from './routes/service';
import { subjectRoutes } from './routes/subjects';
import { transparencyRoutes } from './routes/transparency';
import { shopScopes } from './shop-scope';

export interface AppOptions {
  /** List every shop on the landing page (the demo). */
  listShops?: boolean;
  /** Body sizes, body timeout and rate limits (Node's own timeouts are set where it listens). */
  limits?: Limits;
  /**
   * The customer pages (the SDK bundle, the privacy center, the documents' styling, the demo
   * storefront). On by default; off for an API-only service, whose documents are then plain and
   * name no privacy center.
   */
  customerPages?: boolean;
  /** Where the built browser files are (the SDK bundle, the customer pages' scripts). */
  assets?: AssetDirs;
  /** The demo shop, whose storefront is then served at `/demo/` (`npm start`). */
  demo?: DemoStorefront;
}

/**
 * The HTTP API, composed: what every request passes (headers, CORS, body limits, errors), then
 * one sub-app per resource. Routes validate at the edge and call a flow; no framework object
 * goes below `http/`. A new resource is one module under `routes/` and one line here.
 */
export function createApp(vitrine: Vitrine, opts: AppOptions = {}): Hono {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const shop = (shopId: string) => vitrine.shop(shopId);
  const app = new Hono();
  const edge: Edge = {
    deps: vitrine.deps,
    scopes: shopScopes(vitrine.deps, shop, { limiter: new RateLimiter(), rate: limits.rate }),
    shop,
    readiness: () => vitrine.readiness(),
    idempotent: idempotency(vitrine.deps),
    listShops: opts.listShops ?? false,
    pages: {
      enabled: opts.customerPages !== false,
      assets: opts.assets ?? defaultAssetDirs(),
      demo: opts.demo,
    },
    // The privacy center is stated only when this app serves it (the customer pages add it).
    measures: (shopId) => ({
      ...vitrine.measures(),
      privacyCenter: app.routes.some((r) => r.method === 'GET' && r.path === '/s/:shopId/privacy-center')
        ? `/s/${shopId}/privacy-center`
        : null,
    }),
  };

  app.onError(async (err, c) => {
    // Flooding costs the flooder: a refusal for too many requests is held back before it is
    // sent (a timer, no work), so a client on a few connections cannot keep the server busy.
    if (isVitrineError(err) && err.code === 'rate_limited' && limits.rateLimitedDelayMs > 0) {
      await delay(Math.min(limits.rateLimitedDelayMs, (err.retryAfterS ?? 1) * 1000));
    }
    return errorResponse(c, err, vitrine.log);
  });
  // At debug level, one line per request: the route pattern, never the path (it names
  // subjects), and no header, query or body.
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    vitrine.log.debug(
      {
        method: c.req.method,
        route: routeOf(c),
        status: c.res.status,
        ms: Math.round(performance.now() - t0),
      },
      'request',
    );
  });
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'not_found',
          message: `No route ${c.req.method} ${c.req.path}. See the README for the API.`,
        },
      },
      404,
    ),
  );
  // The API is called from shops' own pages with the public key (a bearer token, never a
  // cookie), so any origin may call it; responses may be read cross-origin.
  const apiHeaders = secureHeaders({ crossOriginResourcePolicy: 'cross-origin' });
  // Customer pages (notice, record, privacy center, demo storefront) may be framed by the shop's
  // origins, which each page names in its CSP `frame-ancestors`; `X-Frame-Options: SAMEORIGIN`
  // would forbid that. Nor do they cut the opener (COOP): the center asks its opener who the customer is.
  const pageHeaders = secureHeaders({
    crossOriginResourcePolicy: 'cross-origin',
    xFrameOptions: false,
    crossOriginOpenerPolicy: false,
  });
  app.use('*', (c, next) => (isCustomerPage(c.req.path) ? pageHeaders(c, next) : apiHeaders(c, next)));
  app.use(
    '/v1/*',
    cors({
      origin: (origin) => origin,
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'x-vitrine-subject', 'sec-gpc', 'idempotency-key'],
      exposeHeaders: ['retry-after', 'idempotent-replayed'],
      maxAge: 600,
    }),
  );
  // Each route's body limit and read timeout; a declared length over the limit is refused here.
  app.use('*', bodyRules(limits));

  app.route('/', serviceRoutes(edge));
  if (edge.pages.enabled) app.route('/', pageRoutes(edge));
  app.route('/s', documentRoutes(edge));
  app.route('/s', transparencyRoutes(edge));
  app.route('/v1', catalogRoutes(edge));
  app.route('/v1', modelRoutes(edge));
  app.route('/v1', subjectRoutes(edge));
  app.route('/v1', consentRoutes(edge));
  app.route('/v1', eventRoutes(edge));
  app.route('/v1', recommendationRoutes(edge));
  app.route('/v1', neighbourRoutes(edge));
  app.route('/v1', rightsRoutes(edge));
  return app;
}

/** The pages customers see (they set their own CSP); everything else is the API. */
const isCustomerPage = (path: string): boolean =>
  /^\/s\/[^/]+\/(privacy|privacy-center|record-of-processing\.html)$/.test(path) ||
  path === '/demo' ||
  path.startsWith('/demo/');
