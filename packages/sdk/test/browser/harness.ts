import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadDefaultPolicy } from '@vitrine/policy';
import { type CreatedShop, createApp, Vitrine } from '@vitrine/server';
import { openStore } from '@vitrine/storage';
import pino from 'pino';
import { type Browser, type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import { buildSdk } from '../../scripts/build';

const here = dirname(fileURLToPath(import.meta.url));
export const RESULTS = join(here, '../../../../test-results');

export const ITEMS = [
  ['kanne', 'Teekanne Aurora', 39.95],
  ['tasse', 'Teetasse Aurora, 2er-Set', 19.95],
  ['tee', 'Grüner Tee Sencha', 8.5],
  ['sieb', 'Teesieb aus Edelstahl', 6.95],
  ['kerze', 'Duftkerze Zeder', 14.9],
  ['halter', 'Kerzenhalter Messing', 24.0],
  ['vase', 'Vase Steingut', 29.0],
  ['decke', 'Wolldecke Fjord', 59.0],
  ['kissen', 'Kissenhülle Leinen', 19.0],
  ['becher', 'Becher Emaille', 9.9],
] as const;

/** Sessions of other customers (level 2) that give the shared models something to go on. */
const SESSIONS = [
  ['kanne', 'tasse', 'tee'],
  ['kanne', 'tasse'],
  ['kanne', 'tasse', 'sieb'],
  ['kanne', 'tee'],
  ['kerze', 'halter'],
  ['kerze', 'halter', 'vase'],
  ['decke', 'kissen'],
  ['becher', 'tee'],
];

export interface Env {
  vitrine: Vitrine;
  shop: CreatedShop;
  api: string;
  web: string;
  browser: Browser;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The real Vitrine service on a fresh embedded store, over real HTTP, with a shop, a small
 * catalog and other customers' sessions; the SDK bundle and test pages from a second server (so
 * the SDK calls the API cross-origin, as from a shop's page); and Debian's Chromium.
 */
export async function openEnv(): Promise<Env> {
  mkdirSync(RESULTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-sdk-'));
  const store = await openStore({ driver: 'sqlite', path: dir });
  await store.migrate();
  const vitrine = new Vitrine({
    store,
    log: pino({ level: 'silent' }),
    secret: 'test-secret-test-secret-test-secret-1234',
    defaultPolicy: loadDefaultPolicy(),
  });
  const shop = await vitrine.createShop('Testshop');
  const app = createApp(vitrine);
  const call = async (path: string, body: unknown, method = 'POST') => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await call('/v1/items', {
    items: ITEMS.map(([id, title, price]) => ({ id, title, price, category_path: ['Wohnen'] })),
  });
  const rt = await vitrine.shop(shop.shopId);
  for (const [n, items] of SESSIONS.entries()) {
    const sub = `sub_other${n}`;
    await call(
      `/v1/subjects/${sub}/consent`,
      { level: 2, notice_version: rt.notice.version, language: 'de', method: 'accept' },
      'PUT',
    );
    await call('/v1/events', {
      events: items.map((item_id) => ({ type: 'view', subject_id: sub, session_id: `ses_o${n}`, item_id })),
    });
  }

  const apiServer = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((r) => (apiServer.listening ? r() : apiServer.once('listening', () => r())));
  const api = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;

  const dist = mkdtempSync(join(tmpdir(), 'vitrine-sdk-dist-'));
  await buildSdk(dist);
  const bundle = readFileSync(join(dist, 'vitrine.js'));
  const axe = readFileSync(AXE_SOURCE);
  const ctx = { api, publicKey: shop.publicKey, shopId: shop.shopId };
  const web = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/vitrine.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else if (url.pathname === '/axe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(axe);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(testPage(url, ctx));
    }
  });
  const webBase = await listen(web);

  const browser = await launchChromium();
  return {
    vitrine,
    shop,
    api,
    web: webBase,
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => web.close(r));
      await new Promise((r) => apiServer.close(r));
      await vitrine.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, without a sandbox (the tests run as root in CI). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** axe-core's browser bundle, to serve from the page's own origin (a page's CSP may allow only that). */
export const AXE_SOURCE = join(here, '../../../../node_modules/axe-core/axe.min.js');

/**
 * A shop page. `?lang=en` English; `?tag=1` the one-script-tag embed; `?ondevice=1` on-device
 * mode with a neighbour table, `?ondevice=api` with the shop's table from the API; `?item=kanne`
 * the product the page shows (a view is tracked).
 */
function testPage(url: URL, ctx: { api: string; publicKey: string; shopId: string }): string {
  const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'de';
  const item = url.searchParams.get('item') ?? 'kanne';
  const table = {
    items: ITEMS.map(([id]) => id),
    neighbours: {
      kanne: [
        ['tasse', 0.9],
        ['sieb', 0.4],
      ],
      kerze: [['halter', 0.8]],
    },
  };
  const init = url.searchParams.has('tag')
    ? `<script src="/vitrine.js" data-api="${ctx.api}" data-public-key="${ctx.publicKey}" data-shop="${ctx.shopId}" data-lang="${lang}"></script>
<script>window.__vt = Vitrine.client;</script>`
    : `<script src="/vitrine.js"></script>
<script>window.__vt = Vitrine.init(${JSON.stringify({
        api: ctx.api,
        publicKey: ctx.publicKey,
        shopId: ctx.shopId,
        lang,
        ...(url.searchParams.get('ondevice') === 'api'
          ? { onDevice: true }
          : url.searchParams.has('ondevice')
            ? { onDevice: { table } }
            : {}),
      })});</script>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testshop</title></head>
<body>
<header><p><a href="/">Testshop</a></p><nav aria-label="Shop"><a href="/other?lang=${lang}&item=tasse">Teetasse</a></nav></header>
<main><h1>${item}</h1><button type="button" id="cart">In den Warenkorb</button>
<div id="recs"></div></main>
${init}
<script>
  const vt = window.__vt;
  vt.view(${JSON.stringify(item)});
  vt.search('tee');
  document.getElementById('cart').onclick = () => vt.addToCart(${JSON.stringify(item)});
  window.__widget = vt.recommend('#recs', { scenario: 'for_you', limit: 4, href: (i) => '/p/' + i.id });
</script>
</body></html>`;
}

/** Every request the page sends, to check what left the browser. */
export function recordRequests(page: Page): Request[] {
  const out: Request[] = [];
  page.on('request', (r) => out.push(r));
  return out;
}

export const apiCalls = (reqs: Request[], env: Env) =>
  reqs
    .filter((r) => r.url().startsWith(env.api) && r.method() !== 'OPTIONS')
    .map((r) => `${r.method()} ${new URL(r.url()).pathname}`);

/** What the page keeps on the device: cookies, both storages, IndexedDB databases. */
export async function deviceState(context: BrowserContext, page: Page) {
  const cookies = await context.cookies();
  const storage = await page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    idb: (await indexedDB.databases()).map((d) => d.name ?? ''),
  }));
  return { cookies: cookies.map((c) => c.name), ...storage };
}

/** Clicks that count: the test tallies every click it makes on the customer's behalf. */
export function clickCounter(page: Page) {
  let n = 0;
  return {
    async click(selector: string) {
      n++;
      await page.locator(selector).click();
    },
    async check(selector: string) {
      n++;
      await page.locator(selector).check();
    },
    get count() {
      return n;
    },
    reset() {
      n = 0;
    },
  };
}

/** Runs axe-core on the page (open shadow roots included) and returns its violations. */
export async function axeViolations(page: Page) {
  await page.addScriptTag({ url: '/axe.js' });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<any> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => n.target.join(' ')),
    }));
  });
}
