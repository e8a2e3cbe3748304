import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('events over HTTP (%s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
    await consentTo(h, 'sub_level2', 2);
    await consentTo(h, 'sub_level1', 1);
  });
  afterAll(() => h.close());

  const post = (events: unknown, key = h.shop.secretKey) =>
    h.request('/v1/events', { key, body: { events } });
  const stored = async (subject: string) => h.vitrine.store.events.listForSubject(h.shop.shopId, subject);
  const view = (subject: string, item = 'sku-1', extra: Record<string, unknown> = {}) => ({
    type: 'view',
    subject_id: subject,
    session_id: 'ses_a',
    item_id: item,
    ...extra,
  });

  it('accepts a batch of every event type and stores a purchase as one row per order line', async () => {
    const r = await post([
      view('sub_level2'),
      { type: 'search', subject_id: 'sub_level2', session_id: 'ses_a', query: 'teekanne' },
      { type: 'add_to_cart', subject_id: 'sub_level2', session_id: 'ses_a', item_id: 'sku-1', quantity: 2 },
      { type: 'remove_from_cart', subject_id: 'sub_level2', session_id: 'ses_a', item_id: 'sku-1' },
      {
        type: 'purchase',
        subject_id: 'sub_level2',
        session_id: 'ses_a',
        order_id: 'o-1',
        lines: [
          { item_id: 'sku-1', quantity: 1, price: 39.95 },
          { item_id: 'sku-2', quantity: 2, price: 9.95 },
        ],
      },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 5, dropped: 0 });
    const rows = await stored('sub_level2');
    expect(rows.filter((e) => e.type === 'purchase').map((e) => [e.itemId, e.quantity, e.orderId])).toEqual([
      ['sku-1', 1, 'o-1'],
      ['sku-2', 2, 'o-1'],
    ]);
    expect(rows.find((e) => e.type === 'search')?.data).toContain('teekanne');
    expect(new Set(rows.map((e) => e.category))).toEqual(
      new Set(['browsing', 'searches', 'cart', 'purchases']),
    );
  });

  it('D1: events of a subject who never opted in are not stored; the answer says how many and why', async () => {
    const r = await post([view('sub_stranger'), view('sub_level2', 'sku-9')]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 1, dropped: 1, dropped_reasons: { no_consent: 1 } });
    expect(r.body.drops).toEqual([{ index: 0, reason: 'no_consent', category: 'browsing' }]);
    expect(r.body.note).toMatch(/PUT \/v1\/subjects\/\{id\}\/consent/);
    expect(await stored('sub_stranger')).toEqual([]);
  });

  it('minimisation: undeclared fields are dropped, never stored, and reported', async () => {
    const r = await post([
      view('sub_level2', 'sku-min', {
        email: 'kundin@example.de',
        context: { device: 'mobile', region: 'DE-BE' },
        price: 3,
      }),
    ]);
    expect(r.status).toBe(200);
    expect(r.body.removed_fields).toMatchObject({ email: 1, price: 1 });
    const row = (await stored('sub_level2')).find((e) => e.itemId === 'sku-min')!;
    const all = JSON.stringify(row);
    expect(all).not.toContain('kundin@example.de');
    // Device and region are session-only data; a view kept for a year must not carry them.
    expect(all).not.toContain('DE-BE');
    expect(all).not.toContain('mobile');
  });

  it('sets an expiry from the category retention; level-1 data is kept only for the session', async () => {
    await post([view('sub_level1', 'sku-s1'), view('sub_level2', 'sku-r1')]);
    const s1 = (await stored('sub_level1')).find((e) => e.itemId === 'sku-s1')!;
    expect(s1.sessionScoped).toBe(true);
    expect(s1.expiresAt).toBeNull();
    const r1 = (await stored('sub_level2')).find((e) => e.itemId === 'sku-r1')!;
    expect(r1.sessionScoped).toBe(false);
    // D2: P12M is twelve calendar months after the event, to the day (not 360 days).
    expect(new Date(r1.ts).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(new Date(r1.expiresAt!).toISOString()).toBe('2027-11-23T10:00:00.000Z');

    // The session ends after 30 minutes without activity: its level-1 data goes, the rest stays.
    const rt = await h.vitrine.shop(h.shop.shopId);
    const result = await h.vitrine.store.events.applyRetention(
      h.clock.now + rt.compiled.sessionTimeoutMs + 1,
      rt.compiled.sessionTimeoutMs,
    );
    expect(result.endedSessionEvents).toBeGreaterThan(0);
    expect(await stored('sub_level1')).toEqual([]);
    expect((await stored('sub_level2')).some((e) => e.itemId === 'sku-r1')).toBe(true);
  });

  it('a malformed batch is refused as a whole with every offending field named, and nothing is stored', async () => {
    const before = await h.vitrine.store.events.count(h.shop.shopId);
    const r = await post([
      view('sub_level2', 'sku-ok'),
      { type: 'view', subject_id: 'sub_level2', session_id: 'ses_a' },
      { type: 'purchase', subject_id: 'kunde-7', session_id: 'ses_a', order_id: 'o', lines: [] },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.field).toBe('events[1].item_id');
    const fields = r.body.error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['events[1].item_id', 'events[2].subject_id', 'events[2].lines']),
    );
    expect(r.body.error.message).toMatch(/nothing in this batch was stored/i);
    expect(await h.vitrine.store.events.count(h.shop.shopId)).toBe(before);
  });

  it('an unknown event type gets its own code and names the field', async () => {
    const before = await h.vitrine.store.events.count(h.shop.shopId);
    const r = await post([
      view('sub_level2'),
      { type: 'wishlist', subject_id: 'sub_level2', session_id: 's', item_id: 'x' },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'unknown_event_type', field: 'events[1].type' });
    expect(r.body.error.message).toMatch(/view, search, add_to_cart, remove_from_cart, purchase/);
    expect(await h.vitrine.store.events.count(h.shop.shopId)).toBe(before);
  });

  it('refuses bodies that are not a batch: invalid JSON, wrong content type, empty or not a list', async () => {
    const bad = await h.request('/v1/events', { key: h.shop.secretKey, body: '{"events": [' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const type = await h.request('/v1/events', {
      key: h.shop.secretKey,
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(type.status).toBe(415);
    const empty = await post([]);
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('events');
    const notList = await h.request('/v1/events', { key: h.shop.secretKey, body: { events: 'view' } });
    expect(notList.body.error.field).toBe('events');
  });

  it('refuses events dated in the future', async () => {
    const r = await post([
      view('sub_level2', 'sku-f', { ts: new Date(h.clock.now + 3_600_000).toISOString() }),
    ]);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('events[0].ts');
  });

  it('a retried batch: the models learn its new events at once and each exactly once, without a rebuild', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    const models = rt.models;
    const first = [
      view('sub_level2', 'sku-r1', { id: 'retry-1' }),
      view('sub_level2', 'sku-r2', { id: 'retry-2' }),
    ];
    await post(first);
    const before = models.fingerprint();
    const r = await post([...first, view('sub_level2', 'sku-r3', { id: 'retry-3' })]);
    expect(r.body).toMatchObject({ accepted: 3, dropped_reasons: { duplicate: 2 } });
    // Learned in place (a rebuild would have replaced the models), and the new event counts.
    expect(rt.models).toBe(models);
    expect(models.fingerprint()).not.toBe(before);
    const fresh = (await h.restart().shop(h.shop.shopId)).models;
    expect(models.fingerprint()).toBe(fresh.fingerprint());
  });

  it('an id repeated within one batch is stored once, and the models rebuilt from the store stay exact', async () => {
    const twice = [
      view('sub_level2', 'sku-t1', { id: 'twice-1' }),
      view('sub_level2', 'sku-t2', { id: 'twice-1' }),
    ];
    const r = await post(twice);
    expect(r.body.dropped_reasons.duplicate).toBe(1);
    await h.vitrine.idle();
    const live = (await h.vitrine.shop(h.shop.shopId)).models;
    const fresh = (await h.restart().shop(h.shop.shopId)).models;
    expect(live.fingerprint()).toBe(fresh.fingerprint());
  });

  it('the same client event id is stored once', async () => {
    const e = view('sub_level2', 'sku-dup', { id: 'client-evt-1' });
    await post([e]);
    const again = await post([e]);
    expect(again.body.dropped_reasons.duplicate).toBe(1);
    expect((await stored('sub_level2')).filter((x) => x.itemId === 'sku-dup')).toHaveLength(1);
  });
});
