import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@vitrine/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Harness, openHarness } from './harness';

/**
 * The customer pages over HTTP: the SDK bundle and the pages' files, the privacy center, the
 * notice and record with their frame, and the demo storefront — headers included.
 */
describe.each(drivers())('customer pages over HTTP (%s)', (driver) => {
  let h: Harness;
  let app: ReturnType<typeof createApp>;
  let bare: ReturnType<typeof createApp>;
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-pages-'));
  const assets = { sdk: join(dir, 'sdk'), web: join(dir, 'web') };
  beforeAll(async () => {
    h = await openHarness(driver);
    for (const d of Object.values(assets)) mkdirSync(d);
    writeFileSync(join(assets.sdk, 'vitrine.js'), '/* sdk */');
    writeFileSync(join(assets.web, 'center.js'), '/* center */');
    writeFileSync(join(assets.web, 'shop.js'), '/* shop */');
    await h.request('/v1/items', {
      key: h.shop.secretKey,
      body: {
        items: [
          { id: 'kanne', title: 'Teekanne Aurora', price: 39.95, category_path: ['Küche', 'Teekannen'] },
          { id: 'tasse', title: 'Teetasse <b>Aurora</b>', price: 19.95, category_path: ['Tisch', 'Tassen'] },
        ],
      },
    });
    app = createApp(h.vitrine, { assets, demo: { shopId: h.shop.shopId, publicKey: h.shop.publicKey } });
    bare = createApp(h.vitrine, { assets: { sdk: join(dir, 'none'), web: join(dir, 'none') } });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, a = app) => a.request(`http://vitrine.test${path}`);

  it("serves the SDK bundle and the pages' script and style; a missing build is a 503 that says how to build", async () => {
    const sdk = await get('/sdk/vitrine.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(sdk.headers.get('access-control-allow-origin')).toBe('*');
    expect(await sdk.text()).toBe('/* sdk */');
    expect(await (await get('/assets/center.js')).text()).toBe('/* center */');
    const css = await get('/assets/vitrine.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const missing = await get('/sdk/vitrine.js', bare);
    expect(missing.status).toBe(503);
    expect((await missing.json()).error).toMatchObject({ code: 'unavailable' });
  });

  it("the privacy center: no X-Frame-Options, frame-ancestors from the shop's origins, no inline script, the subject never in the page", async () => {
    await h.vitrine.setOrigins(h.shop.shopId, []);
    let r = await get(`/s/${h.shop.shopId}/privacy-center`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-frame-options')).toBeNull();
    expect(r.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'self'; ".slice(0, -2));
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await r.text();
    expect(html).toMatch(/<html lang="de">/);
    expect(html).toContain('<script src="/assets/center.js"');
    // Only the JSON block and the script file: nothing inline that would run.
    expect(html.match(/<script(?![^>]*(type="application\/json"|src=))/g)).toBeNull();
    expect(html).not.toMatch(/sub_/);

    await h.vitrine.setOrigins(h.shop.shopId, ['https://shop.example', 'http://127.0.0.1:3000']);
    r = await get(`/s/${h.shop.shopId}/privacy-center?lang=en&embed=1`);
    expect(r.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://shop.example http://127.0.0.1:3000",
    );
    const en = await r.text();
    expect(en).toMatch(/<html lang="en">/);
    expect(en).not.toContain('class="top"'); // embedded: no header bar of its own
    const data = JSON.parse(en.match(/<script type="application\/json" id="vt-data">([^<]*)<\/script>/)![1]!);
    expect(data.peers).toEqual(['http://vitrine.test', 'https://shop.example', 'http://127.0.0.1:3000']);
    expect(data.dialog.purposes.map((p: { id: string }) => p.id)).toContain('email_offers');
  });

  it('C8: the notice and the record: styled, "Stand" with the notice version, the withdrawal path a link to the shop\'s privacy page', async () => {
    await h.vitrine.setOrigins(h.shop.shopId, ['https://shop.example']);
    const rt = await h.vitrine.shop(h.shop.shopId);
    const stored = await h.vitrine.store.notices.get(h.shop.shopId, rt.notice.id, rt.notice.version, 'de');
    const stand = new Intl.DateTimeFormat('de-DE', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Berlin',
    }).format(stored!.createdAt);
    const r = await get(`/s/${h.shop.shopId}/privacy`);
    expect(r.headers.get('x-frame-options')).toBeNull();
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://shop.example");
    const html = await r.text();
    expect(html).toContain('<link rel="stylesheet" href="/assets/vitrine.css">');
    expect(html).toContain(`Stand: ${stand} · Version ${rt.notice.version}`);
    expect(html).toContain(
      `<a href="https://shop.example${rt.policy.withdrawal.path}">${rt.policy.withdrawal.path}</a>`,
    );
    const record = await (await get(`/s/${h.shop.shopId}/record-of-processing.html?lang=en`)).text();
    expect(record).toContain('As of ');
    // Without a configured origin the link goes to Vitrine's privacy center (here: the demo storefront's page).
    await h.vitrine.setOrigins(h.shop.shopId, []);
    const own = await (await get(`/s/${h.shop.shopId}/privacy`)).text();
    expect(own).toContain(`<a href="/demo/datenschutz">${rt.policy.withdrawal.path}</a>`);
    const other = await (await get(`/s/${h.other.shopId}/privacy?lang=en`)).text();
    expect(other).toContain(`<a href="/s/${h.other.shopId}/privacy-center?lang=en">`);
  });

  it('an unknown shop gets 404 on every customer page; a bad language is refused with its field', async () => {
    for (const path of ['/s/shop_nope/privacy-center', '/s/shop_nope/privacy']) {
      const r = await get(path);
      expect(r.status).toBe(404);
      expect((await r.json()).error.code).toBe('not_found');
    }
    const bad = await get(`/s/${h.shop.shopId}/privacy-center?lang=fr`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'validation_failed', field: 'lang' });
  });

  it('the demo storefront: home, category, product, search, cart, checkout, privacy; unknown ones 404; escaped titles; the SDK by one script tag', async () => {
    for (const path of [
      '/demo',
      '/demo/',
      '/demo/k/K%C3%BCche',
      '/demo/k/K%C3%BCche/Teekannen',
      '/demo/p/kanne',
      '/demo/suche?q=tee',
      '/demo/warenkorb',
      '/demo/kasse',
      '/demo/datenschutz',
      '/demo/?lang=en',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-security-policy'), path).toContain("script-src 'self'");
    }
    const product = await (await get('/demo/p/kanne')).text();
    expect(product).toContain(
      `<script src="/sdk/vitrine.js" data-api="http://vitrine.test" data-public-key="${h.shop.publicKey}" data-shop="${h.shop.shopId}" data-lang="de">`,
    );
    const search = await (await get('/demo/suche?q=aurora')).text();
    expect(search).toContain('2 Treffer für „aurora“');
    expect(search).toContain('Teetasse &lt;b&gt;Aurora&lt;/b&gt;');
    for (const path of ['/demo/p/nope', '/demo/k/Nirgends']) expect((await get(path)).status, path).toBe(404);
    // Without the demo, there is no storefront.
    expect((await get('/demo/', bare)).status).toBe(404);
  });

  it('an API-only service (customerPages: false) serves no page, and its notice is plain and names no privacy center', async () => {
    const api = createApp(h.vitrine, { customerPages: false });
    for (const path of [
      '/sdk/vitrine.js',
      '/assets/vitrine.css',
      `/s/${h.shop.shopId}/privacy-center`,
      '/demo/',
    ])
      expect((await get(path, api)).status, path).toBe(404);
    const notice = await (await get(`/s/${h.shop.shopId}/privacy`, api)).text();
    expect(notice).not.toContain('vitrine.css');
    expect(notice).not.toContain('<a href');
    expect(notice).not.toContain('Datenschutz-Center');
  });
});
