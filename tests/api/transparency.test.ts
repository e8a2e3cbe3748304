import { importPublicKey, openCheckpoint } from '@vitrine/audit';
import { escapeHtml } from '@vitrine/policy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { erasureHooks } from '../../apps/server/src/flows/erasure';
import { consentTo, drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('transparency report (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const report = async () => (await h.request(`/s/${h.shop.shopId}/transparency?format=json`)).body;
  beforeAll(async () => {
    h = await openHarness(driver);
    const t0 = h.clock.now;
    for (const [s, level] of [
      ['sub_t0', 0],
      ['sub_t1', 1],
      ['sub_t2', 2],
      ['sub_t3', 2],
    ] as const)
      await consentTo(h, s, level);
    // An export answered at once; erasures that take 3 s and 5 s (the clock moves during them).
    for (const [s, took] of [
      ['sub_t1', 1000],
      ['sub_t2', 3000],
      ['sub_t3', 5000],
    ] as const) {
      h.clock.now = t0;
      const done = h.vitrine.deps.clock.now;
      let calls = 0;
      erasureHooks.beforeStep = () => {
        if (calls++ === 0) h.clock.now = done() + took;
      };
      if (s === 'sub_t1') {
        erasureHooks.beforeStep = () => {};
        await h.request(`/v1/subjects/${s}/export`, { key: key() });
      } else await h.request(`/v1/subjects/${s}`, { method: 'DELETE', key: key() });
    }
    erasureHooks.beforeStep = () => {};
    h.clock.now = t0;
  });
  afterAll(() => h.close());
  afterEach(() => {
    erasureHooks.beforeStep = () => {};
  });

  it('JSON: categories, consent shares per level, rights requests and erasures with medians, the checkpoint and its key', async () => {
    const r = await report();
    expect(r.shop_id).toBe(h.shop.shopId);
    expect(r.categories.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['browsing', 'searches', 'cart', 'purchases']),
    );
    expect(r.categories.find((c: { id: string }) => c.id === 'browsing')).toMatchObject({
      retention: 'P12M',
      kind: 'observed',
    });
    // Two subjects were erased: their rows are gone; two remain, at levels 0 and 1.
    expect(r.consent.subjects).toBe(2);
    expect(r.consent.levels).toEqual([
      { level: 0, share: 0.5 },
      { level: 1, share: 0.5 },
      { level: 2, share: 0 },
      { level: 3, share: 0 },
    ]);
    expect(r.rights_requests).toMatchObject({
      total: 3,
      open: 0,
      overdue: 0,
      by_kind: { export: 1, erasure: 2 },
    });
    expect(r.erasures).toMatchObject({ completed: 2, pending: 0, median_duration_ms: 4000 });
    expect(r.rights_requests.median_completion_ms).toBe(3000);
    const opened = openCheckpoint(r.audit.checkpoint, importPublicKey(r.audit.public_key.base64));
    expect(opened.ok).toBe(true);
    expect(r.audit.entries).toBeGreaterThanOrEqual(r.audit.checkpoint_size);
  });

  it('HTML in German and English, every text escaped; Accept: application/json gives the JSON', async () => {
    for (const [lang, words] of [
      ['de', ['Transparenzbericht', 'Erhobene Datenkategorien', 'Löschungen', 'Öffentlicher Schlüssel']],
      ['en', ['Transparency report', 'Data categories collected', 'Erasures', 'Public key']],
    ] as const) {
      const res = await h.app.request(`/s/${h.shop.shopId}/transparency?lang=${lang}`);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`<html lang="${lang}">`));
      for (const w of words) expect(html).toContain(escapeHtml(w));
      expect(html).toContain((await report()).audit.public_key.base64);
    }
    const json = await h.app.request(`/s/${h.shop.shopId}/transparency`, {
      headers: { accept: 'application/json' },
    });
    expect((await json.json()).shop_id).toBe(h.shop.shopId);
    expect((await h.request('/s/shop_nope/transparency')).status).toBe(404);
    expect((await h.request(`/s/${h.shop.shopId}/transparency?lang=fr`)).status).toBe(400);
  });
});
