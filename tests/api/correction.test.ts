import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

const DAY = 86_400_000;

/** Every item id a recommendation answer rests on: the items shown and the evidence of every reason. */
function cited(body: { items: { id: string; reasons: { evidence: { items: string[] } }[] }[] }): Set<string> {
  return new Set(body.items.flatMap((i) => i.reasons.flatMap((r) => r.evidence.items)));
}

describe.each(drivers())('correction and "don\'t use this" (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const ts = (daysAgo: number) => new Date(h.clock.now - daysAgo * DAY).toISOString();
  const forYou = async (subject: string) =>
    (
      await h.request(`/v1/recommendations?scenario=for_you&subject_id=${subject}&limit=10&language=en`, {
        key: key(),
      })
    ).body;

  beforeAll(async () => {
    h = await openHarness(driver);
    const item = (id: string, title: string, path: string[]) => ({
      id,
      title,
      price: 10,
      category_path: path,
    });
    await h.request('/v1/items', {
      key: key(),
      body: {
        items: [
          item('teapot', 'Teekanne', ['Küche', 'Tee']),
          item('cups', 'Teetassen', ['Küche', 'Tee']),
          item('tea', 'Sencha', ['Küche', 'Tee']),
          item('candle', 'Kerze', ['Wohnen', 'Kerzen']),
          item('holder', 'Kerzenhalter', ['Wohnen', 'Kerzen']),
          item('vase', 'Vase', ['Wohnen', 'Vasen']),
        ],
      },
    });
    // Other customers: tea things go together, candle things go together.
    const events = [];
    for (let i = 0; i < 8; i++) {
      const s = `sub_shopper${i}`;
      await consentTo(h, s, 2);
      const pair = i % 2 === 0 ? ['teapot', 'cups', 'tea'] : ['candle', 'holder', 'vase'];
      events.push({
        type: 'purchase',
        subject_id: s,
        session_id: `ses_${s}`,
        order_id: `o-${s}`,
        ts: ts(5 + i),
        lines: pair.map((id) => ({ item_id: id, quantity: 1, price: 10 })),
      });
    }
    await h.request('/v1/events', { key: key(), body: { events } });
    await consentTo(h, 'sub_c', 2);
    await h.request('/v1/events', {
      key: key(),
      body: {
        events: [
          {
            type: 'purchase',
            subject_id: 'sub_c',
            session_id: 'ses_c1',
            order_id: 'o-c1',
            ts: ts(3),
            lines: [{ item_id: 'teapot', quantity: 1, price: 10 }],
          },
          {
            type: 'purchase',
            subject_id: 'sub_c',
            session_id: 'ses_c2',
            order_id: 'o-c2',
            ts: ts(1),
            lines: [{ item_id: 'candle', quantity: 1, price: 10 }],
          },
        ],
      },
    });
    await h.vitrine.idle();
  });
  afterAll(() => h.close());

  it('R3: removing one event takes it out of the store and the models; the next answer and its reasons change', async () => {
    const before = await forYou('sub_c');
    expect(cited(before).has('teapot')).toBe(true);
    const purchase = (await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_c')).find(
      (e) => e.itemId === 'teapot',
    )!;
    const eventId = purchase.id.replace(/\.\d+$/, '');
    const r = await h.request(`/v1/subjects/sub_c/events/${eventId}`, { method: 'DELETE', key: key() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ subject_id: 'sub_c', deleted: [purchase.id], models_removed: 1 });
    expect(r.body.request_id).toMatch(/^req_/);
    expect(
      (await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_c')).some(
        (e) => e.itemId === 'teapot',
      ),
    ).toBe(false);
    // Exactly as if it had never been learned.
    const rt = await h.vitrine.shop(h.shop.shopId);
    const fresh = await h.restart().shop(h.shop.shopId);
    expect(rt.models.fingerprint()).toBe(fresh.models.fingerprint());
    const after = await forYou('sub_c');
    expect(cited(after).has('teapot')).toBe(false);
    expect(after.items.map((i: { id: string }) => i.id)).not.toEqual(
      before.items.map((i: { id: string }) => i.id),
    );
    // Gone is gone: asked again, 404; a malformed id, 400; neither changes anything.
    const again = await h.request(`/v1/subjects/sub_c/events/${eventId}`, { method: 'DELETE', key: key() });
    expect(again.status).toBe(404);
    expect(again.body.error.field).toBe('event_id');
    const bad = await h.request('/v1/subjects/sub_c/events/nope', { method: 'DELETE', key: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('event_id');
    // Another subject's event is not this subject's to remove.
    const foreign = (await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_shopper0'))[0]!;
    const notTheirs = await h.request(`/v1/subjects/sub_c/events/${foreign.id}`, {
      method: 'DELETE',
      key: key(),
    });
    expect(notTheirs.status).toBe(404);
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_shopper0')).toHaveLength(3);
  });

  it('R3: excluding an item: it is not used and not suggested; lifting the exclusion brings it back', async () => {
    const before = await forYou('sub_c');
    expect(cited(before).has('candle')).toBe(true);
    const r = await h.request('/v1/subjects/sub_c/exclusions', { key: key(), body: { item_id: 'candle' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ item_id: 'candle', category: null });
    expect(r.body.id).toMatch(/^exc_/);
    const after = await forYou('sub_c');
    expect(cited(after).has('candle')).toBe(false);
    expect(after.items.some((i: { id: string }) => i.id === 'candle')).toBe(false);
    // The reasons no longer name the candle in any language.
    expect(JSON.stringify(after)).not.toContain('Kerze"');

    const list = await h.request('/v1/subjects/sub_c/exclusions', { key: key() });
    expect(list.body.exclusions).toEqual([r.body]);
    expect((await h.request(`/v1/subjects/sub_c/exclusions/${r.body.id}`, { key: key() })).body).toEqual(
      r.body,
    );
    const lifted = await h.request(`/v1/subjects/sub_c/exclusions/${r.body.id}`, {
      method: 'DELETE',
      key: key(),
    });
    expect(lifted.status).toBe(200);
    expect(cited(await forYou('sub_c')).has('candle')).toBe(true);
    const gone = await h.request(`/v1/subjects/sub_c/exclusions/${r.body.id}`, { key: key() });
    expect(gone.status).toBe(404);
  });

  it('R3: excluding a catalog category leaves out every item in it, and what rests on them', async () => {
    const r = await h.request('/v1/subjects/sub_c/exclusions', {
      key: key(),
      body: { category: 'Wohnen > Kerzen' },
    });
    expect(r.status).toBe(201);
    expect(r.body.category).toEqual(['Wohnen', 'Kerzen']);
    const after = await forYou('sub_c');
    for (const id of ['candle', 'holder']) {
      expect(cited(after).has(id)).toBe(false);
      expect(after.items.some((i: { id: string }) => i.id === id)).toBe(false);
    }
    await h.request(`/v1/subjects/sub_c/exclusions/${r.body.id}`, { method: 'DELETE', key: key() });
  });

  it('R3: a malformed exclusion is refused with the field and a message, and nothing is stored', async () => {
    const before = (await h.request('/v1/subjects/sub_c/exclusions', { key: key() })).body.exclusions;
    for (const body of [
      {},
      { item_id: 'candle', category: ['Wohnen'] },
      { item: 'candle' },
      { category: [] },
    ]) {
      const r = await h.request('/v1/subjects/sub_c/exclusions', { key: key(), body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(typeof r.body.error.field).toBe('string');
      expect(r.body.error.message).toMatch(/nothing was stored/);
    }
    expect((await h.request('/v1/subjects/sub_c/exclusions', { key: key() })).body.exclusions).toEqual(
      before,
    );
    const notJson = await h.request('/v1/subjects/sub_c/exclusions', {
      key: key(),
      body: 'item_id=candle',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(415);
  });

  it('R3: the public key corrects its own subject only', async () => {
    const { subject_id, token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey }))
      .body;
    const asBrowser = { key: h.shop.publicKey, headers: { 'x-vitrine-subject': token } };
    const own = await h.request(`/v1/subjects/${subject_id}/exclusions`, {
      ...asBrowser,
      body: { item_id: 'vase' },
    });
    expect(own.status).toBe(201);
    const other = await h.request('/v1/subjects/sub_c/exclusions', {
      ...asBrowser,
      body: { item_id: 'vase' },
    });
    expect(other.status).toBe(403);
    const otherList = await h.request('/v1/subjects/sub_c/exclusions', asBrowser);
    expect(otherList.status).toBe(403);
    const otherEvent = await h.request('/v1/subjects/sub_c/events/evt_abc', {
      ...asBrowser,
      method: 'DELETE',
    });
    expect(otherEvent.status).toBe(403);
  });
});
