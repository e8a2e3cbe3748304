import {
  ItemsUpsertRequest,
  Language,
  PredictionQuery,
  RankRequest,
  RecommendationQuery,
  VitrineError,
} from '@vitrine/contracts';
import { recordOfProcessing, renderNotice, renderRecordOfProcessing } from '@vitrine/policy';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { upsertShopCatalog } from '../flows/catalog';
import { consentState, createSubject, listRecords, updateConsent } from '../flows/consent';
import { predictionsFlow } from '../flows/predictions';
import { recommendFlow, resolveSubject } from '../flows/recommend';
import { track } from '../flows/track';
import type { Vitrine } from '../vitrine';
import { type AuthEnv, boundSubject, requireKey } from './auth';
import { readJson } from './body';
import { errorResponse, fromZod } from './errors';
import { landingPage } from './landing';

const GPC_LAST_UPDATE = '2026-11-23';

function parse<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError };
  },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, '', what);
  return r.data;
}

function languageOf(value: string | undefined): 'de' | 'en' {
  const r = Language.safeParse(value ?? 'de');
  if (!r.success)
    throw new VitrineError('validation_failed', 'lang must be "de" or "en".', { field: 'lang' });
  return r.data;
}

/** The HTTP API: parse → call a flow → serialise. No framework object goes below this file. */
/**
 * `listShops` shows every shop on the landing page (the demo); off by default, as a
 * deployment's tenants are nobody else's business.
 */
export function createApp(vitrine: Vitrine, opts: { listShops?: boolean } = {}): Hono {
  const app = new Hono();
  const secret = requireKey(vitrine.store, ['secret']);
  const browser = requireKey(vitrine.store, ['secret', 'public']);

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
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use(
    '/v1/*',
    cors({
      origin: (origin) => origin,
      allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
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

  app.get('/', async (c) => c.html(landingPage(opts.listShops ? await vitrine.store.listShops() : [])));
  app.get('/healthz', (c) => c.json({ status: 'ok', store: vitrine.store.dialect }));
  // O2: the GPC support resource.
  app.get('/.well-known/gpc.json', (c) => c.json({ gpc: true, lastUpdate: GPC_LAST_UPDATE }));

  // Documents generated from the shop's policy (T2, D4), public like any privacy notice.
  app.get('/s/:shopId/privacy', async (c) => {
    const rt = await vitrine.shop(c.req.param('shopId'));
    return c.html(renderNotice(rt.policy, languageOf(c.req.query('language') ?? c.req.query('lang'))));
  });
  app.get('/s/:shopId/record-of-processing.json', async (c) => {
    const rt = await vitrine.shop(c.req.param('shopId'));
    return c.json(recordOfProcessing(rt.policy));
  });
  app.get('/s/:shopId/record-of-processing.html', async (c) => {
    const rt = await vitrine.shop(c.req.param('shopId'));
    return c.html(
      renderRecordOfProcessing(rt.policy, languageOf(c.req.query('language') ?? c.req.query('lang'))),
    );
  });

  const v1 = new Hono<AuthEnv>();

  // Catalog (server key only).
  v1.post('/items', secret, async (c) => {
    const caller = c.get('caller');
    const body = parse(ItemsUpsertRequest, await readJson(c), 'item batch');
    const strict = c.req.query('strict') === 'true';
    const rt = await vitrine.shop(caller.shopId);
    const r = await upsertShopCatalog(
      vitrine,
      rt,
      body.items.map((raw, index) => ({ index, raw })),
      { strict, now: vitrine.now() },
    );
    return c.json({ upserted: r.upserted, rejected: r.rejected });
  });
  v1.get('/items/:id', secret, async (c) => {
    const item = await vitrine.store.getItem(c.get('caller').shopId, c.req.param('id'));
    if (!item)
      throw new VitrineError('not_found', `There is no item ${c.req.param('id')} in this shop's catalog.`, {
        field: 'id',
      });
    return c.json({
      id: item.id,
      title: item.title,
      category_path: item.categoryPath,
      price: item.price,
      currency: item.currency,
      attributes: item.attributes,
      available: item.available,
      updated_at: new Date(item.updatedAt).toISOString(),
    });
  });

  // A full rebuild of the shop's shared models from stored events (also run at start-up).
  v1.post('/models/rebuild', secret, (c) => {
    vitrine.scheduleRebuild(c.get('caller').shopId);
    return c.json({ status: 'scheduled' }, 202);
  });

  // Subjects and consent (public key: own subject only).
  v1.post('/subjects', browser, async (c) => {
    const rt = await vitrine.shop(c.get('caller').shopId);
    return c.json(await createSubject(vitrine, rt), 201);
  });
  v1.get('/notice', browser, async (c) => {
    const rt = await vitrine.shop(c.get('caller').shopId);
    const lang = languageOf(c.req.query('language') ?? c.req.query('lang'));
    return c.json({
      notice_id: rt.notice.id,
      version: rt.notice.version,
      language: lang,
      text: rt.notice.texts[lang].text,
      text_hash: rt.notice.texts[lang].hash,
    });
  });
  v1.get('/subjects/:id/consent', browser, async (c) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    return c.json(
      await consentState(vitrine, rt, c.req.param('id'), bound, { gpc: c.req.header('sec-gpc') === '1' }),
    );
  });
  v1.put('/subjects/:id/consent', browser, async (c) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    const gpc = c.req.header('sec-gpc') === '1';
    return c.json(await updateConsent(vitrine, rt, c.req.param('id'), await readJson(c), { bound, gpc }));
  });
  v1.get('/subjects/:id/consent/records', browser, async (c) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    return c.json(await listRecords(vitrine, rt, c.req.param('id'), bound));
  });

  // Level-3 predictions about the subject, with their inputs (own subject only).
  v1.get('/subjects/:id/predictions', browser, async (c) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    const id = resolveSubject(c.req.param('id'), bound);
    const q = parse(
      PredictionQuery,
      { ...flattenQuery(c.req.queries()), subject_id: id },
      'predictions request',
    );
    return c.json(await predictionsFlow(vitrine, rt, q.subject_id, q.session_id, q.language));
  });

  // Events (public key: own subject only).
  v1.post('/events', browser, async (c) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    return c.json(await track(vitrine, rt, await readJson(c), { boundSubject: bound }));
  });

  // Recommendations.
  const recommendHandler = async (c: import('hono').Context<AuthEnv>, raw: unknown) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    const q = parse(RecommendationQuery, raw, 'recommendation request');
    return c.json(await recommendFlow(vitrine, rt, q, bound));
  };
  v1.get('/recommendations', browser, (c) =>
    recommendHandler(c, c.req.queries() ? flattenQuery(c.req.queries()) : {}),
  );
  v1.post('/recommendations', browser, async (c) => recommendHandler(c, await readJson(c)));
  v1.post('/rank', browser, async (c) => {
    const caller = c.get('caller');
    const bound = await boundSubject(caller, c.req.header('x-vitrine-subject'), vitrine.tokens);
    const rt = await vitrine.shop(caller.shopId);
    const q = parse(RankRequest, await readJson(c), 'rank request');
    return c.json(await recommendFlow(vitrine, rt, { ...q, scenario: 'rank' }, bound));
  });

  app.route('/v1', v1);
  return app;
}

/** `?a=1&a=2&b=3` → `{a: ['1','2'], b: '3'}`. */
function flattenQuery(q: Record<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(q)) out[k] = v.length === 1 ? v[0]! : v;
  // `lang` is accepted as well as `language`, as on the document routes.
  if (out.language === undefined && out.lang !== undefined) out.language = out.lang;
  delete out.lang;
  return out;
}
