import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KEYS, storageName } from '../../../../packages/sdk/src/storage';
import { CART_KEY } from '../../src/shop/cart';
import {
  apiCalls,
  clickCounter,
  deviceState,
  freshContext,
  noViolations,
  openStorefront,
  recordRequests,
  type Storefront,
  shot,
} from './harness';

let env: Storefront;
/** Three items other visitors looked at most: what a new customer sees on the home page. */
let popular: string[] = [];

beforeAll(async () => {
  env = await openStorefront();
  const r = await fetch(`${env.base}/v1/recommendations?scenario=trending&limit=3`, {
    headers: { authorization: `Bearer ${env.demo.secretKey}` },
  });
  popular = ((await r.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id);
}, 60_000);
afterAll(async () => {
  await env?.close();
});

const sdk = (page: Page) =>
  page.evaluate(() => (window as any).Vitrine.client.consent()) as Promise<{
    level: number;
    subjectId: string | null;
  }>;

async function dialogShown(page: Page) {
  await page.locator('.dlg [data-action=accept]').waitFor();
}

async function serverConsent(subjectId: string) {
  const r = await fetch(`${env.base}/v1/subjects/${subjectId}/consent`, {
    headers: { authorization: `Bearer ${env.demo.secretKey}` },
  });
  return (await r.json()) as { level: number; paused: boolean; purposes: Record<string, boolean> };
}

/** Waits for the answer of the widget in `selector` after `act`. */
async function widgetAnswer(page: Page, selector: string, act: () => Promise<unknown>) {
  const answer = page.waitForResponse(
    (r) => r.url().includes('/v1/recommendations') && r.request().method() === 'GET',
  );
  await act();
  const json = await (await answer).json();
  await page.locator(`${selector} li`).first().waitFor();
  return json as { personalized: boolean; items: Array<{ id: string; reasons: any[] }> };
}

const categoryUrl = (path: string[]) => `/demo/k/${path.map(encodeURIComponent).join('/')}`;

describe('demo storefront in Chromium', () => {
  it('C1, C4, C6: a fresh profile browses home, category and product with no clicks: nothing stored, no event sent; the twin buttons measure equal', async () => {
    const { context, page, cspErrors } = await freshContext(env);
    const requests = recordRequests(page);
    await page.goto(`${env.base}/demo/`);
    await dialogShown(page);
    await page.locator('#recs-trending li').first().waitFor();
    await shot(page, 'storefront-dialog-de');
    await page.goto(`${env.base}${categoryUrl(['Küche'])}`);
    await page.locator('#grid[data-personalized]').waitFor();
    await page.goto(`${env.base}/demo/p/${popular[0]}`);
    await page.locator('#recs-similar li').first().waitFor();
    await page.goto(`${env.base}/demo/suche?q=Tee`);
    await page.locator('#grid li').first().waitFor();
    await noViolations(page, 'search results');
    await page.waitForTimeout(300);

    const state = await deviceState(context, page);
    expect(state).toEqual({ cookies: [], local: [], session: [], idb: [] });
    const calls = apiCalls(requests, { api: `${env.base}/v1/` } as never);
    expect(calls.filter((c) => /events|consent|exclusions/.test(c))).toEqual([]);
    expect(new Set(calls)).toEqual(
      new Set(['GET /v1/notice', 'POST /v1/subjects', 'GET /v1/recommendations', 'POST /v1/rank']),
    );
    expect(await sdk(page)).toMatchObject({ level: 0, subjectId: null });

    // C4 on the storefront: one element type, size, colours; contrast ≥ 7:1; both in view.
    const measure = (action: string) =>
      page.locator(`.dlg [data-action=${action}]`).evaluate((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          tag: el.tagName,
          cls: el.className,
          height: r.height,
          width: Math.round(r.width),
          color: s.color,
          background: s.backgroundColor,
          font: `${s.fontSize} ${s.fontWeight}`,
          inView: r.top >= 0 && r.bottom <= innerHeight,
        };
      });
    const [reject, accept] = [await measure('reject'), await measure('accept')];
    expect(reject).toEqual(accept);
    expect(reject.inView).toBe(true);
    expect(contrast(reject.color, reject.background)).toBeGreaterThanOrEqual(7);

    // C6: closing the dialog changes nothing; the shop works.
    await page.locator('.dlg .x').click();
    await page.goto(`${env.base}/demo/`);
    await page.locator('#recs-trending li').first().waitFor();
    await page.locator('.dlg .x').click();
    await shot(page, 'storefront-home-de');
    await noViolations(page, 'storefront home');
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it('T3, T4, C8: a whole visit — consent, views, "Warum?" with the real reasons, ranked category, cart, purchase, then withdrawal in as many clicks', async () => {
    const { context, page, cspErrors } = await freshContext(env);
    const requests = recordRequests(page);
    const clicks = clickCounter(page);
    await page.goto(`${env.base}/demo/p/${popular[0]}`);
    await dialogShown(page);
    // Giving: level 2 on the dial, "Akzeptieren".
    await clicks.check('.dlg input[value="2"]');
    await clicks.click('.dlg [data-action=accept]');
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const giving = clicks.count;
    const { subjectId } = await sdk(page);
    expect((await serverConsent(subjectId!)).level).toBe(2);

    // A view on each product page, a cart addition.
    await page.goto(`${env.base}/demo/p/${popular[1]}`);
    await page.locator('#add-to-cart').click();
    await expect.poll(() => page.locator('#cart-link').getAttribute('data-count')).toBe('1');
    await expect
      .poll(
        () =>
          apiCalls(requests, { api: `${env.base}/v1/` } as never).filter((c) => c === 'POST /v1/events')
            .length,
      )
      .toBeGreaterThan(1);

    // T3: on the next product page, "for you" says why, with the API's own reasons.
    await page.goto(`${env.base}/demo/p/${popular[2]}`);
    const forYou = page.waitForResponse((r) => r.url().includes('scenario=for_you'));
    const answer = (await (await forYou).json()) as { personalized: boolean; items: any[] };
    expect(answer.personalized).toBe(true);
    expect(answer.items.map((i) => i.id)).not.toContain(popular[2]);
    const personal = answer.items.find((i) => i.reasons.some((r: any) => r.category !== null));
    const li = page.locator(`#recs-for-you li[data-item="${personal.id}"]`);
    await li.locator('[data-action=why]').click();
    expect(await li.locator('[data-reason]').allTextContents()).toEqual(
      personal.reasons.map((r: any) => r.text),
    );
    await li.scrollIntoViewIfNeeded();
    await shot(page, 'storefront-product-why-de');
    await noViolations(page, 'product page with reasons open');

    // T4: the switch to non-personalized results.
    const neutral = page.waitForResponse(
      (r) => r.url().includes('scenario=for_you') && r.url().includes('non_personalized=true'),
    );
    await page.locator('#recs-for-you [data-action=non-personalized]').check();
    expect(((await (await neutral).json()) as { personalized: boolean }).personalized).toBe(false);

    // The category page is ranked for this visit.
    const item = await (
      await fetch(`${env.base}/v1/items/${popular[1]}`, {
        headers: { authorization: `Bearer ${env.demo.secretKey}` },
      })
    ).json();
    await page.goto(`${env.base}${categoryUrl(item.category_path.slice(0, 1))}`);
    await expect.poll(() => page.locator('#grid').getAttribute('data-personalized')).toBe('true');
    expect(await page.locator('#rank-note').textContent()).toContain(
      'Sortiert nach dem, was Sie sich angesehen haben',
    );
    await shot(page, 'storefront-category-de');
    await noViolations(page, 'category page');

    // Cart and checkout: the purchase is an event of this customer.
    await page.goto(`${env.base}/demo/warenkorb`);
    await page.locator(`#cart tr[data-line="${popular[1]}"]`).waitFor();
    await shot(page, 'storefront-cart-de');
    await noViolations(page, 'cart');
    await page.locator('#to-checkout').click();
    await page.locator('#cart tr').first().waitFor();
    await noViolations(page, 'checkout');
    await page.locator('#buy').click();
    await expect.poll(() => page.locator('#cart-status').textContent()).toContain('Danke');
    const stored = await env.vitrine.store.events.listForSubject(env.demo.shopId, subjectId!);
    expect(stored.filter((e) => e.type === 'purchase').map((e) => e.itemId)).toEqual([popular[1]]);
    expect(await page.evaluate((k) => sessionStorage.getItem(k), CART_KEY)).toBeNull();

    // C8: withdrawing from this page takes no more clicks than giving; the device forgets at once.
    clicks.reset();
    await clicks.click('[data-action=settings]');
    await clicks.click('.dlg [data-action=reject]');
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    expect(clicks.count).toBeLessThanOrEqual(giving);
    expect((await serverConsent(subjectId!)).level).toBe(0);
    const keys = await deviceState(context, page);
    expect(keys.local).toEqual([storageName(env.demo.shopId, 'choice')]);
    expect(keys.session).toEqual([]);
    expect(STORAGE_KEYS.choice.withoutConsent).toBe(true);
    // The next page is not personalized.
    await page.goto(`${env.base}/demo/p/${popular[0]}`);
    const next = page.waitForResponse((r) => r.url().includes('scenario=for_you'));
    const after = await next;
    expect(new URL(after.url()).searchParams.has('session_id')).toBe(false);
    expect(((await after.json()) as { personalized: boolean }).personalized).toBe(false);
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it("R2, R3, R4, R5, R6, C8, C10: the privacy center on the shop's page — everything held, the exact texts seen, download, correction, pause, erasure with receipt", async () => {
    const { context, page, cspErrors } = await freshContext(env);
    await page.goto(`${env.base}/demo/p/${popular[0]}`);
    await dialogShown(page);
    await page.locator('.dlg input[value="2"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const { subjectId } = await sdk(page);
    await page.goto(`${env.base}/demo/p/${popular[1]}`);
    await page.locator('#add-to-cart').click();
    await page.evaluate(() => (window as any).Vitrine.client.flush());
    await expect
      .poll(async () => (await env.vitrine.store.events.listForSubject(env.demo.shopId, subjectId!)).length)
      .toBe(2); // the view of the page the consent was given on was not tracked: it came before

    // The center, embedded by the SDK; it asks this page who the customer is (postMessage, no URL).
    await page.goto(`${env.base}/demo/datenschutz`);
    const frame = page.frameLocator('iframe[title="Datenschutz-Center"]');
    await frame.locator('#vt-app[data-state=ready]').waitFor();
    const src = await page.locator('iframe[title="Datenschutz-Center"]').getAttribute('src');
    expect(src).not.toContain(subjectId!);
    expect(await frame.locator('#vt-current').textContent()).toContain('Stufe 2');
    expect(await frame.locator('input[name=level][value="2"]').isChecked()).toBe(true);

    // R2: every data point by category, with source, purpose and expiry.
    const rows = frame.locator('#vt-points tr[data-point=events]');
    await expect.poll(() => rows.count()).toBe(2);
    const first = await rows.first().locator('td').allTextContents();
    expect(first[2]).toBe('beobachtet');
    expect(first[3]).toContain('Passend zu');
    expect(first[4]).not.toBe('');
    // C10: the consent history with the exact text seen.
    const records = await (
      await fetch(`${env.base}/v1/subjects/${subjectId}/consent/records`, {
        headers: { authorization: `Bearer ${env.demo.secretKey}` },
      })
    ).json();
    const record = records.records.at(-1);
    const entry = frame.locator(`#vt-history li[data-record="${record.record.id}"]`);
    await entry.locator('summary').click();
    expect(await entry.locator('pre').textContent()).toBe(record.notice_text);
    await frame.locator('#vt-h-data').scrollIntoViewIfNeeded();
    await page.evaluate(() => scrollBy(0, -60));
    await shot(page, 'privacy-center-de');
    await noViolations(page, 'privacy center embedded in the storefront');

    // R5: the download, JSON and CSV.
    for (const format of ['json', 'csv'] as const) {
      const download = page.waitForEvent('download');
      await frame.locator(`[data-action=download][data-format=${format}]`).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(`vitrine-${subjectId}.${format}`);
      const text = await new Response((await file.createReadStream()) as any).text();
      if (format === 'json') {
        const x = JSON.parse(text);
        expect(x.subject_id).toBe(subjectId);
        expect(x.data.filter((p: any) => p.store === 'events')).toHaveLength(2);
      } else expect(text.split('\r\n')[0]).toMatch(/^store,id,time,category/);
    }

    // R3: one event removed; the table and the store have one fewer.
    await rows.first().locator('[data-action=remove-event]').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await env.vitrine.store.events.listForSubject(env.demo.shopId, subjectId!)).toHaveLength(1);

    // R6: pause keeps the data, stops personalization; and on again.
    await frame.locator('#vt-pause').check();
    await expect.poll(async () => (await serverConsent(subjectId!)).paused).toBe(true);
    await frame.locator('#vt-pause').uncheck();
    await expect.poll(async () => (await serverConsent(subjectId!)).paused).toBe(false);

    // The dial in the center: level 1; the shop page's SDK follows at once.
    await frame.locator('input[name=level][value="1"]').check();
    await frame.locator('[data-action=save]').click();
    await expect.poll(() => frame.locator('#vt-current').textContent()).toContain('Stufe 1');
    await expect.poll(async () => (await sdk(page)).level).toBe(1);
    expect((await serverConsent(subjectId!)).level).toBe(1);

    // R4: delete everything; the receipt is shown, the device forgets, the next page is neutral.
    await frame.locator('[data-action=delete]').click();
    await frame.locator('[data-action=delete-yes]').click();
    await frame.locator('[data-receipt] li').first().waitFor();
    expect(await frame.locator('[data-receipt]').textContent()).toMatch(/Ereignisse: \d/);
    await frame.locator('#vt-h-delete').scrollIntoViewIfNeeded();
    await shot(page, 'privacy-center-receipt-de');
    await expect.poll(async () => (await sdk(page)).subjectId).toBeNull();
    expect((await deviceState(context, page)).local).not.toContain(storageName(env.demo.shopId, 'subject'));
    expect(await env.vitrine.store.events.listForSubject(env.demo.shopId, subjectId!)).toEqual([]);
    await page.goto(`${env.base}/demo/p/${popular[2]}`);
    const next = await page.waitForResponse((r) => r.url().includes('scenario=for_you'));
    expect(new URL(next.url()).searchParams.has('session_id')).toBe(false);
    expect(((await next.json()) as { personalized: boolean }).personalized).toBe(false);
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it('"don\'t use this" in "Warum?" changes the next answer: the item is no longer a reason', async () => {
    const { context, page } = await freshContext(env);
    await page.goto(`${env.base}/demo/p/${popular[0]}`);
    await dialogShown(page);
    await page.locator('.dlg input[value="1"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    await page.goto(`${env.base}/demo/p/${popular[1]}`);
    const answer = (await (
      await page.waitForResponse((r) => r.url().includes('scenario=for_you'))
    ).json()) as any;
    // A recommendation resting on the customer's own data point (the item just viewed).
    const personal = answer.items.find((i: any) => i.reasons.some((r: any) => r.evidence.items.length > 0));
    expect(personal, JSON.stringify(answer)).toBeDefined();
    const used: string = personal.reasons.find((r: any) => r.evidence.items.length > 0).evidence.items[0];
    const li = page.locator(`#recs-for-you li[data-item="${personal.id}"]`);
    await li.locator('[data-action=why]').click();
    const next = page.waitForResponse((r) => r.url().includes('scenario=for_you'));
    await li.locator(`[data-action=dont-use][data-evidence="${used}"]`).click();
    const after = (await (await next).json()) as any;
    const evidence = after.items.flatMap((i: any) => i.reasons.flatMap((r: any) => r.evidence.items));
    expect(evidence).not.toContain(used);
    await expect.poll(() => page.locator('#recs-for-you [data-status]').textContent()).toContain('Erledigt');
    await context.close();
  });

  it("O1: with GPC the storefront's dialog says so and stays at level 1 unless the customer insists", async () => {
    const { context, page } = await freshContext(env, { gpc: true });
    await page.goto(`${env.base}/demo/`);
    await dialogShown(page);
    await page.locator('.dlg [data-gpc]').waitFor();
    await page.locator('.dlg input[value="3"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await page.locator('.dlg [data-action=gpc-keep]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const { subjectId } = await sdk(page);
    expect(await serverConsent(subjectId!)).toMatchObject({ level: 1 });
    await context.close();
  });

  it('English: storefront, dialog, widgets, privacy center, notice and record', async () => {
    const { context, page, cspErrors } = await freshContext(env);
    await page.goto(`${env.base}/demo/p/${popular[0]}?lang=en`);
    await dialogShown(page);
    expect(await page.locator('.dlg [data-action=reject]').textContent()).toBe('Reject');
    expect(await page.locator('.dlg [data-action=accept]').textContent()).toBe('Accept');
    expect(await page.locator('#add-to-cart').textContent()).toBe('Add to cart');
    await page.locator('#recs-similar [data-action=why]').first().waitFor();
    expect(await page.locator('#recs-similar [data-action=why]').first().textContent()).toBe('Why?');
    await shot(page, 'storefront-dialog-en');
    await noViolations(page, 'English product page with the dialog');
    await page.locator('.dlg input[value="1"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    await page.goto(`${env.base}/demo/datenschutz?lang=en`);
    const frame = page.frameLocator('iframe[title="Privacy center"]');
    await frame.locator('#vt-app[data-state=ready]').waitFor();
    expect(await frame.locator('h1').textContent()).toBe('Privacy center');
    expect(await frame.locator('#vt-current').textContent()).toContain('level 1');
    await shot(page, 'privacy-center-en');
    await noViolations(page, 'English privacy center');
    await page.goto(`${env.base}/s/${env.demo.shopId}/privacy?lang=en`);
    expect(await page.locator('.stand').textContent()).toMatch(/^As of \d{1,2} \w+ \d{4} · version \d+$/);
    await shot(page, 'notice-en');
    await noViolations(page, 'English notice');
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it("phone (390×844): the dialog's whole first layer fits one screen, German and English; twin buttons stay twins", async () => {
    for (const lang of ['de', 'en']) {
      const { context, page } = await freshContext(env, { phone: true });
      await page.goto(`${env.base}/demo/${lang === 'en' ? '?lang=en' : ''}`);
      await dialogShown(page);
      const fit = await page.evaluate(() => {
        const d = document.querySelector('[data-vitrine]')!.shadowRoot!.querySelector('.dlg') as HTMLElement;
        const r = d.getBoundingClientRect();
        return {
          scroll: d.scrollHeight,
          client: d.clientHeight,
          top: r.top,
          bottom: r.bottom,
          h: innerHeight,
          w: innerWidth,
          right: r.right,
        };
      });
      expect(fit.scroll).toBeLessThanOrEqual(fit.client);
      expect(fit.top).toBeGreaterThanOrEqual(0);
      expect(fit.bottom).toBeLessThanOrEqual(fit.h);
      expect(fit.right).toBeLessThanOrEqual(fit.w);
      for (const sel of [
        '[data-action=reject]',
        '[data-action=accept]',
        'input[value="0"]',
        'input[value="3"]',
        '[data-action=details]',
      ])
        expect(await page.locator(`.dlg ${sel}`).isVisible(), sel).toBe(true);
      const [a, b] = await Promise.all(
        ['reject', 'accept'].map((x) =>
          page.locator(`.dlg [data-action=${x}]`).evaluate((el) => {
            const r = el.getBoundingClientRect();
            return { w: Math.round(r.width), h: r.height, bg: getComputedStyle(el).backgroundColor };
          }),
        ),
      );
      expect(a).toEqual(b);
      await shot(page, `storefront-phone-dialog-${lang}`);
      await context.close();
    }
  });

  it("C7, C8, D4: the notice and the record have the pages' styling, a \"Stand\" date, the withdrawal path linked to the shop's privacy page, and may be framed by the shop's origin only", async () => {
    const { context, page, cspErrors } = await freshContext(env);
    const res = await page.goto(`${env.base}/s/${env.demo.shopId}/privacy`);
    const headers = res!.headers();
    expect(headers['x-frame-options']).toBeUndefined();
    expect(headers['content-security-policy']).toContain(`frame-ancestors 'self' ${env.shop}`);
    const notice = await env.vitrine.store.notices.latest(env.demo.shopId, 'personalisierung', 'de');
    const date = new Intl.DateTimeFormat('de-DE', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Berlin',
    }).format(notice!.createdAt);
    expect(await page.locator('.stand').textContent()).toBe(`Stand: ${date} · Version ${notice!.version}`);
    const link = page.locator('a', { hasText: '/datenschutz/personalisierung' });
    expect(await link.getAttribute('href')).toBe(`${env.shop}/datenschutz/personalisierung`);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(247, 246, 243)',
    );
    await shot(page, 'notice-de');
    await noViolations(page, 'notice');
    await page.goto(`${env.base}/s/${env.demo.shopId}/record-of-processing.html`);
    expect(await page.locator('.stand').textContent()).toMatch(/^Stand: /);
    await shot(page, 'record-de');
    await noViolations(page, 'record of processing');
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it("the shop's own account page embeds the privacy center from its allowed origin; another origin cannot frame it", async () => {
    const { context, page } = await freshContext(env);
    await page.goto(`${env.shop}/konto`);
    await dialogShown(page);
    await page.locator('.dlg input[value="1"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    await page.locator('#show').click();
    const frame = page.frameLocator('iframe[title="Datenschutz-Center"]');
    await frame.locator('#vt-app[data-state=ready]').waitFor();
    expect(await frame.locator('#vt-current').textContent()).toContain('Stufe 1');

    // Opened in a new tab from the settings' second layer: the center asks its opener.
    await page.locator('[data-action=settings]').click();
    await page.locator('.dlg [data-action=details]').click();
    const popup = context.waitForEvent('page');
    await page.locator('.dlg [data-action=center]').click();
    const tab = await popup;
    expect(tab.url()).not.toContain('sub_');
    await tab.locator('#vt-app[data-state=ready]').waitFor();
    expect(await tab.locator('#vt-current').textContent()).toContain('Stufe 1');
    await tab.close();

    const other = await context.newPage();
    await other.goto(`${env.stranger}/konto`);
    await other.locator('#show').click();
    const blocked = other.locator('iframe');
    await blocked.waitFor();
    await other.waitForTimeout(500);
    const child = other.frames().find((f) => f !== other.mainFrame());
    expect(await child!.locator('#vt-app').count()).toBe(0);
    await context.close();
  });
});

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

export type { Request };
export { CART_KEY, clickCounter, STORAGE_KEYS, serverConsent, storageName, widgetAnswer };
