import { CODE_PURPOSES, escapeHtml } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from './harness';

describe('documents generated from the policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('sqlite');
  });
  afterAll(() => h.close());

  it('T2, D4: the privacy notice (de, en) and the Art. 30 record (JSON, HTML) are served and name every purpose used in code', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    const docs = [
      (await h.app.request(`/s/${h.shop.shopId}/privacy`)).text(),
      (await h.app.request(`/s/${h.shop.shopId}/privacy?lang=en`)).text(),
      (await h.app.request(`/s/${h.shop.shopId}/record-of-processing.html`)).text(),
      (await h.app.request(`/s/${h.shop.shopId}/record-of-processing.json`)).text(),
    ];
    const [de, en, ropaHtml, ropaJson] = await Promise.all(docs);
    expect(de).toMatch(/<html lang="de"/);
    expect(en).toMatch(/<html lang="en"/);
    JSON.parse(ropaJson!);
    for (const purpose of CODE_PURPOSES) {
      const label = rt.policy.purposes[purpose]!.label;
      expect(de).toContain(escapeHtml(label.de));
      expect(en).toContain(escapeHtml(label.en));
      expect(ropaHtml).toContain(escapeHtml(label.de));
      expect(ropaJson).toContain(purpose);
    }
  });

  it('an unknown shop gets 404 with a clear message', async () => {
    const r = await h.request('/s/shop_nope/privacy');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});
