import { join } from 'node:path';
import { loadDefaultPolicy, noticeDialog } from '@vitrine/policy';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KEYS, storageName } from '../../src/storage';
import {
  apiCalls,
  axeViolations,
  clickCounter,
  deviceState,
  type Env,
  openEnv,
  RESULTS,
  recordRequests,
} from './harness';

let env: Env;
beforeAll(async () => {
  env = await openEnv();
}, 60_000);
afterAll(async () => {
  await env?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(RESULTS, `sdk-${name}.png`), fullPage: false });

async function fresh(opts: { gpc?: boolean; phone?: boolean } = {}) {
  const context = await env.browser.newContext({
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1200, height: 900 },
    ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    ...(opts.gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
  });
  if (opts.gpc)
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
  const page = await context.newPage();
  const requests = recordRequests(page);
  return { context, page, requests };
}

async function open(page: Page, query = '') {
  await page.goto(`${env.web}/shop?item=kanne${query}`);
  await page.locator('[data-action=accept]').waitFor();
  await page.locator('#recs li').first().waitFor();
}

/** Allowed keys with their storage area, for C2. */
const allowed = (withConsent: boolean) =>
  Object.entries(STORAGE_KEYS)
    .filter(([, k]) => withConsent || k.withoutConsent)
    .map(([key, k]) => `${k.area}:${storageName(env.shop.shopId, key as keyof typeof STORAGE_KEYS)}`);

async function storedKeys(context: BrowserContext, page: Page) {
  const s = await deviceState(context, page);
  expect(s.cookies).toEqual([]);
  expect(s.idb).toEqual([]);
  return [...s.local.map((k) => `local:${k}`), ...s.session.map((k) => `session:${k}`)];
}

async function consentOnServer(subjectId: string) {
  const res = await fetch(`${env.api}/v1/subjects/${subjectId}/consent`, {
    headers: { authorization: `Bearer ${env.shop.secretKey}` },
  });
  return (await res.json()) as { level: number; purposes: Record<string, boolean>; gpc: boolean };
}

describe('browser SDK in Chromium', () => {
  it('C1: a fresh profile with no clicks: no cookies, no storage keys, no event requests', async () => {
    const { context, page, requests } = await fresh();
    await open(page);
    // The page tracked a view and a search and asked for recommendations; give them time to leak.
    await page.waitForTimeout(300);
    expect(await storedKeys(context, page)).toEqual([]);
    const calls = apiCalls(requests, env);
    expect(calls.filter((c) => c.includes('/v1/events'))).toEqual([]);
    expect(calls.filter((c) => c.includes('/consent'))).toEqual([]);
    // Only the notice, a throwaway subject held in memory, and non-personal recommendations.
    expect(new Set(calls)).toEqual(
      new Set(['GET /v1/notice', 'POST /v1/subjects', 'GET /v1/recommendations']),
    );
    const rec = requests.find((r) => r.url().includes('/v1/recommendations'))!;
    expect(new URL(rec.url()).searchParams.has('session_id')).toBe(false);
    expect(await page.evaluate(() => (window as any).__vt.consent())).toMatchObject({
      level: 0,
      chosen: false,
      subjectId: null,
    });
    await shot(page, 'dialog-first-layer-de');
    await context.close();
  });

  it('C6: closing the dialog leaves level 0, stores nothing, and the page keeps working', async () => {
    const { context, page, requests } = await fresh();
    await open(page);
    await page.keyboard.press('Tab'); // focus into the page: the dialog does not block it
    await page.locator('.dlg .x').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    await page.locator('#cart').click();
    await page.waitForTimeout(200);
    expect(await storedKeys(context, page)).toEqual([]);
    expect(apiCalls(requests, env).filter((c) => c.includes('/v1/events'))).toEqual([]);
    expect(await page.locator('#recs li').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('C4: "Ablehnen" and "Akzeptieren" are the same element, size, colours and contrast', async () => {
    const { context, page } = await fresh();
    await open(page);
    const measure = (action: string) =>
      page.locator(`.dlg [data-action=${action}]`).evaluate((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          tag: el.tagName,
          type: el.getAttribute('type'),
          cls: el.className,
          width: r.width,
          height: r.height,
          color: s.color,
          background: s.backgroundColor,
          border: s.borderTopColor,
          font: `${s.fontSize} ${s.fontWeight}`,
          inViewport: r.top >= 0 && r.bottom <= innerHeight,
        };
      });
    const reject = await measure('reject');
    const accept = await measure('accept');
    expect(await page.locator('.dlg [data-action=reject]').textContent()).toBe('Ablehnen');
    expect(await page.locator('.dlg [data-action=accept]').textContent()).toBe('Akzeptieren');
    expect(reject.tag).toBe('BUTTON');
    expect({ ...reject, width: 0 }).toEqual({ ...accept, width: 0 });
    expect(Math.abs(reject.width - accept.width)).toBeLessThan(1);
    expect(reject.inViewport).toBe(true);
    expect(contrast(reject.color, reject.background)).toBeGreaterThanOrEqual(7);
    await context.close();
  });

  it('C8: withdrawing takes no more clicks than giving, from any page, and clears the device at once', async () => {
    const { context, page, requests } = await fresh();
    await open(page);
    const clicks = clickCounter(page);
    // Giving: choose level 2 on the dial, then "Akzeptieren".
    await clicks.check('.dlg input[value="2"]');
    await clicks.click('.dlg [data-action=accept]');
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const giving = clicks.count;
    const consent = await page.evaluate(() => (window as any).__vt.consent());
    expect(consent.level).toBe(2);
    expect((await consentOnServer(consent.subjectId)).level).toBe(2);
    // C2: with consent, only allow-listed keys.
    await page.locator('#cart').click();
    await expect
      .poll(() => apiCalls(requests, env).filter((c) => c === 'POST /v1/events').length)
      .toBeGreaterThan(0);
    for (const key of await storedKeys(context, page)) expect(allowed(true)).toContain(key);

    // Another page of the shop: the settings link is there too.
    await page.goto(`${env.web}/other?item=tasse`);
    await page.locator('#recs li').first().waitFor();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    clicks.reset();
    await clicks.click('[data-action=settings]');
    await clicks.click('.dlg [data-action=reject]');
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    expect(clicks.count).toBeLessThanOrEqual(giving);
    expect((await consentOnServer(consent.subjectId)).level).toBe(0);
    // C2 after withdrawal: only the refusal itself (strictly necessary) remains.
    for (const key of await storedKeys(context, page)) expect(allowed(false)).toContain(key);
    const before = apiCalls(requests, env).filter((c) => c === 'POST /v1/events').length;
    await page.locator('#cart').click();
    await page.waitForTimeout(200);
    expect(apiCalls(requests, env).filter((c) => c === 'POST /v1/events').length).toBe(before);
    await context.close();
  });
});

async function noViolations(page: Page, what: string) {
  const v = await axeViolations(page);
  expect(v, `${what}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

async function giveConsent(page: Page, level: number) {
  await page.locator(`.dlg input[value="${level}"]`).check();
  await page.locator('.dlg [data-action=accept]').click();
  await expect.poll(() => page.locator('.dlg').count()).toBe(0);
  return page.evaluate(() => (window as any).__vt.consent());
}

/** Views an item, sends it, and reloads the widget; returns the API's answer the widget got. */
async function viewAndRefresh(page: Page, item: string) {
  const response = page.waitForResponse((r) => r.url().includes('/v1/recommendations'));
  await page.evaluate(async (id) => {
    const vt = (window as any).__vt;
    vt.view(id);
    await vt.flush();
    await (await (window as any).__widget).refresh();
  }, item);
  return (await response).json();
}

describe('browser SDK in Chromium: choices and explanations', () => {
  it('O1: with GPC the dialog says so, asks before going above level 1, and records the explicit override', async () => {
    const { context, page } = await fresh({ gpc: true });
    await open(page);
    await expect.poll(() => page.locator('.dlg [data-gpc]').count()).toBe(1);
    await page.locator('.dlg input[value="3"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await page.locator('.dlg [data-action=gpc-keep]').waitFor();
    await shot(page, 'gpc-conflict-de');
    await noViolations(page, 'GPC conflict');
    await page.locator('.dlg [data-action=gpc-keep]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const c = await page.evaluate(() => (window as any).__vt.consent());
    expect(c.level).toBe(1);
    const server = await consentOnServer(c.subjectId);
    expect(server).toMatchObject({ level: 1, gpc: true });

    // The customer insists, after seeing the conflict: level 3, recorded as an override.
    await page.locator('[data-action=settings]').click();
    await page.locator('.dlg input[value="3"]').check();
    await page.locator('.dlg [data-action=accept]').click();
    await page.locator('.dlg [data-action=gpc-override]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    expect((await consentOnServer(c.subjectId)).level).toBe(3);
    const records = await fetch(`${env.api}/v1/subjects/${c.subjectId}/consent/records`, {
      headers: { authorization: `Bearer ${env.shop.secretKey}` },
    }).then((r) => r.json());
    const last = records.records.at(-1).record;
    expect(last.gpc).toMatchObject({ signal: true, override: true, requested_level: 3 });
    await context.close();
  });

  it('T3: "Warum?" shows the real reasons of a real recommendation and the data used; axe finds nothing', async () => {
    const { context, page, requests } = await fresh();
    await open(page);
    await noViolations(page, 'first layer and widget');
    const c = await giveConsent(page, 2);
    const answer = await viewAndRefresh(page, 'kanne');
    const personal = answer.items.find((i: any) => i.reasons.some((r: any) => r.category !== null));
    expect(personal, JSON.stringify(answer)).toBeDefined();
    const li = page.locator(`#recs li[data-item="${personal.id}"]`);
    await li.locator('[data-action=why]').click();
    await expect.poll(() => li.locator('[data-action=why]').getAttribute('aria-expanded')).toBe('true');
    const shown = await li.locator('[data-reason]').allTextContents();
    expect(shown).toEqual(personal.reasons.map((r: any) => r.text));
    const used = await li.locator('[data-used]').first().textContent();
    expect(used).toContain('Teekanne Aurora');
    await shot(page, 'widget-why-de');
    await noViolations(page, 'widget with reasons open');

    // "Don't use this": the SDK asks the API; the list reloads and says it is done.
    const exclusion = page.waitForRequest((r) => r.url().includes('/exclusions'));
    await li.locator('[data-action=dont-use]').first().click();
    const req = await exclusion;
    expect(new URL(req.url()).pathname).toBe(`/v1/subjects/${c.subjectId}/exclusions`);
    expect(req.postDataJSON()).toEqual({ item_id: 'kanne' });
    const status = (await req.response())!.status();
    const done = status >= 200 && status < 300;
    expect(done).toBe(true);
    await expect.poll(() => page.locator('#recs [data-status]').textContent()).toContain('Erledigt');

    // T4: the switch to non-personalized results.
    const np = page.waitForResponse((r) => r.url().includes('non_personalized=true'));
    await page.locator('#recs [data-action=non-personalized]').check();
    const neutral = await (await np).json();
    expect(neutral.personalized).toBe(false);
    await expect.poll(() => page.locator('#recs section').getAttribute('data-personalized')).toBe('false');
    expect(requests.some((r) => r.url().includes('/v1/events'))).toBe(true);
    await context.close();
  });

  it('C5/C7: the second layer shows controller, each purpose with data, retention, recipients and basis', async () => {
    const { context, page } = await fresh();
    await open(page);
    await page.locator('.dlg [data-action=details]').click();
    const d = noticeDialog(loadDefaultPolicy(), 'de');
    for (const p of d.purposes) {
      const section = page.locator(`.dlg section[data-purpose-label="${p.label}"]`);
      const text = await section.textContent();
      for (const [k, v] of p.facts) expect(text).toContain(`${k}${v}`);
    }
    const all = await page.locator('.dlg').textContent();
    for (const line of [...d.controller, ...d.withdrawal.lines]) expect(all).toContain(line);
    await shot(page, 'dialog-second-layer-de');
    await noViolations(page, 'second layer');
    await context.close();
  });

  it('C5: each purpose has its own switch (purpose ids from the notice the server sends)', async () => {
    const { context, page } = await fresh();
    await open(page);
    await page.locator('.dlg input[value="2"]').check();
    await page.locator('.dlg [data-action=details]').click();
    // C3: extra switches start off; the level's purposes are on, each can be turned off.
    expect(await page.locator('.dlg [data-purpose=email_offers]').isChecked()).toBe(false);
    expect(await page.locator('.dlg [data-purpose=aggregate_models]').isChecked()).toBe(true);
    await page.locator('.dlg [data-purpose=email_offers]').check();
    await page.locator('.dlg [data-purpose=aggregate_models]').uncheck();
    await page.locator('.dlg [data-action=save]').click();
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const c = await page.evaluate(() => (window as any).__vt.consent());
    const server = await consentOnServer(c.subjectId);
    expect(server.purposes).toMatchObject({
      email_offers: true,
      aggregate_models: false,
      history_personalization: true,
    });
    await context.close();
  });

  it('keyboard: the settings dialog traps Tab, closes on Esc and gives focus back; focus is visible', async () => {
    const { context, page } = await fresh();
    await open(page);
    await page.locator('.dlg .x').click();
    await page.locator('[data-action=settings]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.dlg[aria-modal=true] [data-action=accept]').waitFor();
    const inDialog = () =>
      page.evaluate(() => {
        const host = document.querySelector('[data-vitrine]')!;
        const a = host.shadowRoot!.activeElement;
        return a !== null && a.closest('.dlg') !== null;
      });
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      expect(await inDialog()).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inDialog()).toBe(true);
    }
    const outline = await page.evaluate(() => {
      const a = document.querySelector('[data-vitrine]')!.shadowRoot!.activeElement!;
      const s = getComputedStyle(a);
      return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth) };
    });
    expect(outline.style).not.toBe('none');
    expect(outline.width).toBeGreaterThanOrEqual(2);
    await noViolations(page, 'settings dialog (modal)');
    await shot(page, 'settings-modal-de');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.dlg').count()).toBe(0);
    const focused = await page.evaluate(() =>
      document.querySelector('[data-vitrine]')!.shadowRoot!.activeElement?.getAttribute('data-action'),
    );
    expect(focused).toBe('settings');
    await context.close();
  });

  it('English, embedded with one script tag', async () => {
    const { context, page } = await fresh();
    await page.goto(`${env.web}/shop?item=kanne&lang=en&tag=1`);
    await page.locator('[data-action=accept]').waitFor();
    await page.locator('#recs li').first().waitFor();
    expect(await page.locator('.dlg [data-action=reject]').textContent()).toBe('Reject');
    expect(await page.locator('.dlg [data-action=accept]').textContent()).toBe('Accept');
    expect(await page.locator('.dlg h2').textContent()).toBe('Personalization: you decide');
    expect(await page.locator('[data-action=settings]').textContent()).toBe('Privacy settings');
    expect(await page.locator('#recs [data-action=why]').first().textContent()).toBe('Why?');
    await shot(page, 'dialog-first-layer-en');
    await noViolations(page, 'English first layer');
    await context.close();
  });

  it('on-device mode at level 1: the visit is ranked in the browser and no event leaves it', async () => {
    const { context, page, requests } = await fresh();
    await page.goto(`${env.web}/shop?item=kanne&ondevice=1`);
    await page.locator('#recs li').first().waitFor();
    await giveConsent(page, 1);
    const seen = page.waitForResponse((r) => r.url().includes('/v1/recommendations'));
    await page.evaluate(async () => {
      const vt = (window as any).__vt;
      vt.view('kanne');
      vt.addToCart('kanne');
      await vt.flush();
      await (await (window as any).__widget).refresh();
    });
    const candidates = await seen;
    const q = new URL(candidates.url()).searchParams;
    expect(q.get('non_personalized')).toBe('true');
    expect(q.has('session_id')).toBe(false);
    await expect.poll(() => page.locator('#recs li').first().getAttribute('data-item')).toBe('tasse');
    const first = page.locator('#recs li').first();
    await first.locator('[data-action=why]').click();
    expect(await first.locator('[data-reason]').first().textContent()).toContain('Auf Ihrem Gerät berechnet');
    const ranked = await page.evaluate(() => (window as any).__vt.rank(['vase', 'sieb', 'tasse']));
    expect(ranked).toEqual({ items: ['tasse', 'sieb', 'vase'], onDevice: true, personalized: true });
    const calls = apiCalls(requests, env);
    expect(calls.filter((c) => c.includes('/v1/events') || c.includes('/v1/rank'))).toEqual([]);
    await shot(page, 'widget-on-device-de');
    await context.close();
  });

  it("C1: on-device mode with the shop's neighbour table from the API: fetched only after consent, no event leaves the browser", async () => {
    const { context, page, requests } = await fresh();
    await page.goto(`${env.web}/shop?item=kanne&ondevice=api`);
    await page.locator('#recs li').first().waitFor();
    expect(apiCalls(requests, env).filter((c) => c.includes('/v1/neighbours'))).toEqual([]);
    await giveConsent(page, 1);
    await page.evaluate(async () => {
      const vt = (window as any).__vt;
      vt.view('kanne');
      await (await (window as any).__widget).refresh();
    });
    await expect.poll(() => page.locator('#recs li').first().getAttribute('data-item')).toBe('tasse');
    const calls = apiCalls(requests, env);
    expect(calls.filter((c) => c === 'GET /v1/neighbours')).toHaveLength(1);
    expect(calls.filter((c) => c.includes('/v1/events') || c.includes('/v1/rank'))).toEqual([]);
    await context.close();
  });

  it('phone: the whole first layer fits one screen (390×844): the dial, the reward, both buttons, no scrolling', async () => {
    const { context, page } = await fresh({ phone: true });
    await open(page);
    const fit = await page.evaluate(() => {
      const d = document.querySelector('[data-vitrine]')!.shadowRoot!.querySelector('.dlg') as HTMLElement;
      return { scroll: d.scrollHeight, client: d.clientHeight, top: d.getBoundingClientRect().top };
    });
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.top).toBeGreaterThanOrEqual(0);
    expect(await page.locator('.dlg .rw').first().isVisible()).toBe(true);
    const visible = (sel: string) =>
      page.locator(sel).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
      });
    expect(await visible('.dlg [data-action=reject]')).toBe(true);
    expect(await visible('.dlg [data-action=accept]')).toBe(true);
    expect(await visible('.dlg input[value="0"]')).toBe(true);
    await shot(page, 'dialog-phone-de');
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
