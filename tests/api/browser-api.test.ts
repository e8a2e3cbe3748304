import { loadDefaultPolicy, noticeDialog, noticeText } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

/** What the browser SDK needs from the API: the structured notice, events named by the token, the neighbour table. */
describe.each(drivers())('the API for browsers (%s)', (driver) => {
  let h: Harness;
  const sk = () => h.shop.secretKey;
  const pk = () => h.shop.publicKey;
  beforeAll(async () => {
    h = await openHarness(driver);
    const items = ['kanne', 'tasse', 'tee', 'sieb', 'kerze', 'halter'].map((id, n) => ({
      id,
      title: `Artikel ${id}`,
      price: 10 + n,
      category_path: ['Wohnen'],
    }));
    expect((await h.request('/v1/items', { key: sk(), body: { items } })).status).toBe(200);
    // Other customers' visits (level 2: they count for the shared models).
    const visits = [
      ['kanne', 'tasse', 'tee'],
      ['kanne', 'tasse'],
      ['kanne', 'tasse', 'sieb'],
      ['kerze', 'halter'],
    ];
    for (const [n, visit] of visits.entries()) {
      await consentTo(h, `sub_andere${n}`, 2);
      const events = visit.map((item_id) => ({
        type: 'view',
        subject_id: `sub_andere${n}`,
        session_id: `ses_a${n}`,
        item_id,
      }));
      expect((await h.request('/v1/events', { key: sk(), body: { events } })).status).toBe(200);
    }
  });
  afterAll(() => h.close());

  async function browserSubject() {
    const r = await h.request('/v1/subjects', { key: pk(), method: 'POST' });
    return { id: r.body.subject_id as string, headers: { 'x-vitrine-subject': r.body.token as string } };
  }

  it('C5/C10: GET /v1/notice answers the dialog with purpose ids, every string in the hashed text', async () => {
    for (const lang of ['de', 'en'] as const) {
      const r = await h.request(`/v1/notice?lang=${lang}`, { key: pk() });
      expect(r.status).toBe(200);
      const policy = loadDefaultPolicy();
      expect(r.body.dialog).toEqual(noticeDialog(policy, lang));
      expect(r.body.text).toBe(noticeText(policy, lang));
      const ids = r.body.dialog.purposes.map((p: { id: string }) => p.id);
      expect(ids).toEqual(expect.arrayContaining(['session_personalization', 'email_offers']));
    }
  });

  it('with the public key, events may leave subject_id out: the token names the subject', async () => {
    const s = await browserSubject();
    const rt = await h.vitrine.shop(h.shop.shopId);
    const consent = await h.request(`/v1/subjects/${s.id}/consent`, {
      method: 'PUT',
      key: pk(),
      headers: s.headers,
      body: { level: 2, notice_version: rt.notice.version, language: 'de', method: 'accept' },
    });
    expect(consent.status).toBe(200);
    const r = await h.request('/v1/events', {
      key: pk(),
      headers: s.headers,
      body: { events: [{ type: 'view', session_id: 'ses_b1', item_id: 'kanne' }] },
    });
    expect(r.body).toMatchObject({ accepted: 1, dropped: 0 });
    const stored = await h.vitrine.store.events.listForSubject(h.shop.shopId, s.id);
    expect(stored.map((e) => e.itemId)).toEqual(['kanne']);
  });

  it('with the secret key, an event without subject_id is refused, naming the field; nothing is stored', async () => {
    const before = (await h.vitrine.store.events.listForSession(h.shop.shopId, 'sub_andere0', 'ses_x'))
      .length;
    const r = await h.request('/v1/events', {
      key: sk(),
      body: {
        events: [
          { type: 'view', subject_id: 'sub_andere0', session_id: 'ses_x', item_id: 'tee' },
          { type: 'view', session_id: 'ses_x', item_id: 'kanne' },
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation_failed', field: 'events[1].subject_id' });
    expect(r.body.error.message).toMatch(/subject_id is missing/);
    const after = (await h.vitrine.store.events.listForSession(h.shop.shopId, 'sub_andere0', 'ses_x')).length;
    expect(after).toBe(before);
  });

  it('"for you" on a product page never suggests that product', async () => {
    const s = await browserSubject();
    const rt = await h.vitrine.shop(h.shop.shopId);
    await h.request(`/v1/subjects/${s.id}/consent`, {
      method: 'PUT',
      key: pk(),
      headers: s.headers,
      body: { level: 1, notice_version: rt.notice.version, language: 'de', method: 'accept' },
    });
    await h.request('/v1/events', {
      key: pk(),
      headers: s.headers,
      body: { events: [{ type: 'view', session_id: 'ses_p', item_id: 'tasse' }] },
    });
    const q = 'scenario=for_you&session_id=ses_p&limit=10';
    const without = await h.request(`/v1/recommendations?${q}`, { key: pk(), headers: s.headers });
    expect(without.body.items.map((i: { id: string }) => i.id)).toContain('kanne');
    const on = await h.request(`/v1/recommendations?${q}&item_id=kanne`, { key: pk(), headers: s.headers });
    const ids = on.body.items.map((i: { id: string }) => i.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('kanne');
  });

  it('GET /v1/neighbours: per item what "similar" answers anyone, no subject, with the public key', async () => {
    const r = await h.request('/v1/neighbours', { key: pk() });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual(expect.arrayContaining(['kanne', 'tasse', 'kerze']));
    const similar = await h.request('/v1/recommendations?scenario=similar&item_id=kanne&limit=10', {
      key: sk(),
    });
    const fromSimilar = similar.body.items
      .filter((i: any) => i.reasons.some((x: any) => x.kind === 'similar_to_current'))
      .map((i: any) => i.id);
    expect(r.body.neighbours.kanne.map(([id]: [string, number]) => id)).toEqual(fromSimilar);
    expect(r.body.neighbours.kanne[0][0]).toBe('tasse');
    // Nothing about a person: no subject id anywhere in the table.
    expect(JSON.stringify(r.body)).not.toMatch(/sub_/);
    expect((await h.request('/v1/neighbours')).status).toBe(401);
  });

  it('C8: the method "withdraw" is another word for "reject"; it refuses a level above 0', async () => {
    await consentTo(h, 'sub_zurueck', 2);
    const rt = await h.vitrine.shop(h.shop.shopId);
    const body = { level: 0, notice_version: rt.notice.version, language: 'de', method: 'withdraw' };
    const r = await h.request('/v1/subjects/sub_zurueck/consent', { method: 'PUT', key: sk(), body });
    expect(r.status).toBe(200);
    expect(r.body.record).toMatchObject({ method: 'reject', event_type: 'consent_withdrawn', level: 0 });
    const bad = await h.request('/v1/subjects/sub_zurueck/consent', {
      method: 'PUT',
      key: sk(),
      body: { ...body, level: 2 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', field: 'level' });
    const unknown = await h.request('/v1/subjects/sub_zurueck/consent', {
      method: 'PUT',
      key: sk(),
      body: { ...body, method: 'revoke' },
    });
    expect(unknown.body.error).toMatchObject({ field: 'method' });
    expect(unknown.body.error.message).toMatch(/withdraw/);
  });
});
