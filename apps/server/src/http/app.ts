import { VitrineError } from '@vitrine/contracts';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Vitrine } from '../vitrine';
import { type AssetDirs, defaultAssetDirs } from './assets';
import type { DemoStorefront, Edge } from './edge';
import { errorResponse } from './errors';
import { catalogRoutes } from './routes/catalog';
import { consentRoutes } from './routes/consent';
import { documentRoutes } from './routes/documents';
import { eventRoutes } from './routes/events';
import { modelRoutes } from './routes/models';
import { neighbourRoutes } from './routes/neighbours';
import { pageRoutes } from './routes/pages';
import { recommendationRoutes } from './routes/recommendations';
import { serviceRoutes } from './routes/service';
import { subjectRoutes } from './routes/subjects';
import { shopScopes } from './shop-scope';

/**
 * The HTTP API, composed: what every request passes (headers, CORS, body limit, errors), then
 * one sub-app per resource. Routes validate at the edge and call a flow; no framework object
 * goes below `http/`. A new resource is one module under `routes/` and one line here.
 */
export function createApp(
  vitrine: Vitrine,
  opts: { listShops?: boolean; assets?: AssetDirs; demo?: DemoStorefront } = {},
): Hono {
  const shop = (shopId: string) => vitrine.shop(shopId);
  const edge: Edge = {
    deps: vitrine.deps,
    scopes: shopScopes(vitrine.deps, shop),
    shop,
    listShops: opts.listShops ?? false,
    pages: { assets: opts.assets ?? defaultAssetDirs(), demo: opts.demo },
  };
  const app = new Hono();

  app.onError((err, c) => errorResponse(c, err, vitrine.log));
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
      allowHeaders: ['authorization', 'content-type', 'x-vitrine-subject', 'sec-gpc'],
      maxAge: 600,
    }),
  );
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: 8 * 1024 * 1024,
      onError: () => {
        throw new VitrineError(
          'payload_too_large',
          'The body is larger than 8 MiB; send it in smaller batches.',
          {
            field: '(body)',
          },
        );
      },
    }),
  );

  app.route('/', serviceRoutes(edge));
  app.route('/', pageRoutes(edge));
  app.route('/s', documentRoutes(edge));
  app.route('/v1', catalogRoutes(edge));
  app.route('/v1', modelRoutes(edge));
  app.route('/v1', subjectRoutes(edge));
  app.route('/v1', consentRoutes(edge));
  app.route('/v1', eventRoutes(edge));
  app.route('/v1', recommendationRoutes(edge));
  app.route('/v1', neighbourRoutes(edge));
  return app;
}

/** The pages customers see (they set their own CSP); everything else is the API. */
const isCustomerPage = (path: string): boolean =>
  (path.startsWith('/s/') && !path.endsWith('.json')) || path === '/demo' || path.startsWith('/demo/');
