import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp, DEFAULT_LIMITS, parseConfig, Vitrine } from '@vitrine/server';
import { type DemoShop, seedDemoShop } from '@vitrine/server/demo';
import pino from 'pino';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildSdk } from '../../../../packages/sdk/scripts/build';
import {
  AXE_SOURCE,
  axeViolations,
  launchChromium,
  RESULTS,
} from '../../../../packages/sdk/test/browser/harness';
import { buildPages } from '../../scripts/build';

export {
  apiCalls,
  clickCounter,
  deviceState,
  RESULTS,
  recordRequests,
} from '../../../../packages/sdk/test/browser/harness';

/** The storefront as `npm start` serves it, on a fresh embedded store, and two other origins. */
export interface Storefront {
  vitrine: Vitrine;
  demo: DemoShop;
  /** Vitrine's origin: API, customer pages, demo storefront. */
  base: string;
  /** A shop's own origin, allowed to embed the customer pages: its account page is `/konto`. */
  shop: string;
  /** An origin the shop did not allow: the same account page there. */
  stranger: string;
  browser: Browser;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A shop's account page on the shop's own origin: the SDK from Vitrine with one script tag, and
 * the privacy center embedded once the customer asks for it.
 */
function accountPage(base: string, demo: DemoShop): string {
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Mein Konto</title><link rel="icon" href="data:,"></head>
<body><main><h1>Mein Konto</h1>
<button type="button" id="show">Datenschutz-Center anzeigen</button>
<div id="center"></div></main>
<script src="${base}/sdk/vitrine.js" data-api="${base}" data-public-key="${demo.publicKey}" data-shop="${demo.shopId}" data-lang="de"></script>
<script>document.getElementById('show').onclick = () => Vitrine.privacyCenter('#center');</script>
</body></html>`;
}

export async function openStorefront(): Promise<Storefront> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-web-'));
  const config = parseConfig({ VITRINE_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
  const vitrine = await Vitrine.open(config, pino({ level: 'silent' }));
  const demo = await seedDemoShop(vitrine, config);
  // The browser files, built from the sources now (not whatever dist/ holds).
  const assets = { sdk: join(dir, 'sdk'), web: join(dir, 'web') };
  await Promise.all([buildSdk(assets.sdk), buildPages(assets.web)]);
  const app = createApp(vitrine, {
    // A test clicks through pages ten times faster than a person; a subject's default rate
    // (5/s, burst 10) would refuse some of its requests. The default is what `npm start` uses.
    limits: { ...DEFAULT_LIMITS, rate: { ...DEFAULT_LIMITS.rate, subject: { perSecond: 100, burst: 200 } } },
    listShops: true,
    demo: { shopId: demo.shopId, publicKey: demo.publicKey },
    assets,
  });
  const axe = readFileSync(AXE_SOURCE);
  const server = serve({
    // axe-core from Vitrine's own origin, so that the pages' CSP (`script-src 'self'`) lets it run.
    fetch: (req) =>
      new URL(req.url).pathname === '/axe.js'
        ? new Response(axe, { headers: { 'content-type': 'text/javascript' } })
        : app.fetch(req),
    port: 0,
    hostname: '127.0.0.1',
  }) as Server;
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const page = accountPage(base, demo);
  const shopServer = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
  );
  const strangerServer = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
  );
  const shop = await listen(shopServer);
  const stranger = await listen(strangerServer);
  await vitrine.setOrigins(demo.shopId, [shop]);

  const browser = await launchChromium();
  return {
    vitrine,
    demo,
    base,
    shop,
    stranger,
    browser,
    async close() {
      await browser.close();
      for (const s of [server, shopServer, strangerServer]) await new Promise((r) => s.close(r));
      await vitrine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile: desktop or phone, German or English, with or without GPC. */
export async function freshContext(
  env: Storefront,
  opts: { gpc?: boolean; phone?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; cspErrors: string[] }> {
  const context = await env.browser.newContext({
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    ...(opts.gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
    acceptDownloads: true,
  });
  if (opts.gpc)
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
  const page = await context.newPage();
  // Every page must work under its CSP: nothing inline, nothing from elsewhere.
  const cspErrors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  return { context, page, cspErrors };
}

/** A screenshot of what the viewport shows, into test-results/. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: false });

/**
 * axe-core on the page and its frames (the embedded privacy center): axe runs in each frame and
 * reports the frames' nodes with the page's. The page must have no violation.
 */
export async function noViolations(page: Page, what: string) {
  for (const f of page.frames()) if (f !== page.mainFrame()) await f.addScriptTag({ url: '/axe.js' });
  const v = await axeViolations(page);
  expect(v, `${what}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}
