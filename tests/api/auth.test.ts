import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('keys and shops (%s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
    await consentTo(h, 'sub_anna', 2);
    await h.request('/v1/items', {
      key: h.shop.secretKey,
      body: { items: [{ id: 'sku-a', title: 'Vase Nordlicht', price: 24.95 }] },
    });
    await h.request('/v1/events', {
      key: h.shop.secretKey,
      body: { events: [{ type: 'view', subject_id: 'sub_anna', session_id: 'ses_1', item_id: 'sku-a' }] },
    });
  });
  afterAll(() => h.close());

  it('a missing key gets 401 with a message that says what to send', async () => {
    const r = await h.request('/v1/items/sku-a');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'unauthorized', field: 'authorization' });
    expect(r.body.error.message).toMatch(/Authorization: Bearer/);
  });

  it('a wrong key gets 401 and changes nothing', async () => {
    const before = await h.vitrine.store.events.count(h.shop.shopId);
    for (const key of ['vt_sk_wrong', 'not-a-key', `${h.shop.secretKey}x`]) {
      const r = await h.request('/v1/events', {
        key,
        body: { events: [{ type: 'view', subject_id: 'sub_anna', session_id: 's', item_id: 'sku-a' }] },
      });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
    expect(await h.vitrine.store.events.count(h.shop.shopId)).toBe(before);
  });

  it('keys are stored hashed, never in clear', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    expect(JSON.stringify(rt.shop)).not.toContain(h.shop.secretKey);
    const { hashApiKey } = await import('../../apps/server/src/keys');
    const row = await h.vitrine.store.keys.findByHash(hashApiKey(h.shop.secretKey));
    expect(row?.shopId).toBe(h.shop.shopId);
    expect(JSON.stringify(row)).not.toContain(h.shop.secretKey);
  });

  it("another shop's key sees none of this shop's items, subjects, consent or events", async () => {
    const key = h.other.secretKey;
    expect((await h.request('/v1/items/sku-a', { key })).status).toBe(404);
    const consent = await h.request('/v1/subjects/sub_anna/consent', { key });
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({ level: 0, purposes: {} });
    const records = await h.request('/v1/subjects/sub_anna/consent/records', { key });
    expect(records.body.records).toEqual([]);
    // In the other shop, sub_anna never opted in: the event is dropped, not mixed into this shop.
    const ev = await h.request('/v1/events', {
      key,
      body: { events: [{ type: 'view', subject_id: 'sub_anna', session_id: 'ses_1', item_id: 'sku-a' }] },
    });
    expect(ev.body).toMatchObject({ accepted: 0, dropped: 1 });
    const rec = await h.request('/v1/recommendations?scenario=trending', { key });
    expect(rec.body.items).toEqual([]);
    expect(await h.vitrine.store.events.count(h.other.shopId)).toBe(0);
  });

  it('the public key reaches only browser routes, and only for its own subject', async () => {
    const pk = h.shop.publicKey;
    const items = await h.request('/v1/items', {
      key: pk,
      body: { items: [{ id: 'x', title: 'x', price: 1 }] },
    });
    expect(items.status).toBe(403);
    const noToken = await h.request('/v1/subjects/sub_anna/consent', { key: pk });
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.field).toBe('x-vitrine-subject');

    const created = await h.request('/v1/subjects', { key: pk, method: 'POST' });
    expect(created.status).toBe(201);
    const { subject_id, token } = created.body as { subject_id: string; token: string };
    expect(subject_id).toMatch(/^sub_/);
    const headers = { 'x-vitrine-subject': token };
    const own = await h.request(`/v1/subjects/${subject_id}/consent`, { key: pk, headers });
    expect(own.status).toBe(200);
    expect(own.body.level).toBe(0);
    const foreign = await h.request('/v1/subjects/sub_anna/consent', { key: pk, headers });
    expect(foreign.status).toBe(403);
    const foreignEvents = await h.request('/v1/events', {
      key: pk,
      headers,
      body: { events: [{ type: 'view', subject_id: 'sub_anna', session_id: 's', item_id: 'sku-a' }] },
    });
    expect(foreignEvents.status).toBe(403);
    expect(foreignEvents.body.error.field).toBe('events[0].subject_id');
    // A token of this shop is worthless with another shop's public key.
    const cross = await h.request(`/v1/subjects/${subject_id}/consent`, { key: h.other.publicKey, headers });
    expect(cross.status).toBe(401);
  });
  it('an Authorization header without "Bearer" says how to write it', async () => {
    const r = await h.request('/v1/items/sku-a', { headers: { authorization: h.shop.secretKey } });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/Bearer <key>/);
  });

  it("a shop's own pages on another origin may call the API (CORS preflight)", async () => {
    const res = await h.app.request('/v1/events', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://www.beispiel-shop.de',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-vitrine-subject',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.beispiel-shop.de');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/x-vitrine-subject/);
  });
});
