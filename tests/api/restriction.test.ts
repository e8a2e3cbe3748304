import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

const DAY = 86_400_000;

describe.each(drivers())('pause and objection (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const ts = (daysAgo: number) => new Date(h.clock.now - daysAgo * DAY).toISOString();
  const purchase = (subject: string, item: string, daysAgo: number) => ({
    type: 'purchase',
    subject_id: subject,
    session_id: `ses_${subject}_${daysAgo}`,
    order_id: `o-${subject}-${daysAgo}`,
    ts: ts(daysAgo),
    lines: [{ item_id: item, quantity: 1, price: 8 }],
  });
  const send = async (events: unknown[]) =>
    (await h.request('/v1/events', { key: key(), body: { events } })).body;
  const forYou = async (subject: string) =>
    (await h.request(`/v1/recommendations?scenario=for_you&subject_id=${subject}&limit=5`, { key: key() }))
      .body;
  const predictions = async (subject: string) =>
    (await h.request(`/v1/subjects/${subject}/predictions`, { key: key() })).body.predictions;
  /** The live models equal models rebuilt from the store, as a restarted process builds them. */
  const exact = async () => {
    const live = (await h.vitrine.shop(h.shop.shopId)).models;
    expect(live.fingerprint()).toBe((await h.restart().shop(h.shop.shopId)).models.fingerprint());
    return live;
  };

  beforeAll(async () => {
    h = await openHarness(driver);
    await h.request('/v1/items', {
      key: key(),
      body: {
        items: ['tea', 'cups', 'teapot', 'candle'].map((id) => ({
          id,
          title: id,
          price: 8,
          category_path: ['Küche'],
        })),
      },
    });
    for (let i = 0; i < 4; i++) await consentTo(h, `sub_other${i}`, 2);
    await send([0, 1, 2, 3].map((i) => purchase(`sub_other${i}`, i % 2 ? 'cups' : 'teapot', 10 + i)));
    await consentTo(h, 'sub_p', 3);
    await send([purchase('sub_p', 'tea', 60), purchase('sub_p', 'tea', 30), purchase('sub_p', 'teapot', 2)]);
  });
  afterAll(() => h.close());

  it('R6: a pause is honoured at once by ingest, recommendations and predictions, and keeps the data', async () => {
    expect((await forYou('sub_p')).personalized).toBe(true);
    expect((await predictions('sub_p')).length).toBeGreaterThan(0);
    const stored = (await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_p')).length;

    const r = await h.request('/v1/subjects/sub_p/restriction', {
      method: 'PUT',
      key: key(),
      body: { paused: true },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ subject_id: 'sub_p', paused: true });
    expect((await h.request('/v1/subjects/sub_p/consent', { key: key() })).body).toMatchObject({
      paused: true,
      level: 3,
    });

    const ingest = await send([
      { type: 'view', subject_id: 'sub_p', session_id: 'ses_now', item_id: 'cups' },
    ]);
    expect(ingest).toMatchObject({ accepted: 0, dropped: 1, dropped_reasons: { paused: 1 } });
    const recs = await forYou('sub_p');
    expect(recs.personalized).toBe(false);
    expect(recs.level).toBe(0);
    expect(await predictions('sub_p')).toEqual([]);
    // The data stays (R6), but leaves the shared models while paused.
    expect((await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_p')).length).toBe(stored);
    expect((await exact()).holdsSubject('sub_p')).toBe(false);

    const resumed = await h.request('/v1/subjects/sub_p/restriction', {
      method: 'PUT',
      key: key(),
      body: { paused: false },
    });
    expect(resumed.body.paused).toBe(false);
    expect((await forYou('sub_p')).personalized).toBe(true);
    expect((await predictions('sub_p')).length).toBeGreaterThan(0);
    expect((await exact()).contribution('sub_p').interactions).toBe(stored);
  });

  it('R6, C9: while paused the data is kept: a withdrawal then erases only what the withdrawn purposes alone held', async () => {
    await consentTo(h, 'sub_pw', 3);
    await send([purchase('sub_pw', 'tea', 5), purchase('sub_pw', 'cups', 4)]);
    await h.request('/v1/subjects/sub_pw/restriction', { method: 'PUT', key: key(), body: { paused: true } });
    // Level 3 to 2 withdraws predictions only: purchases are still held for levels 2's purposes.
    const r = await consentTo(h, 'sub_pw', 2);
    expect(r.erased_events).toBe(0);
    expect(r.state.paused).toBe(true);
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_pw')).toHaveLength(2);
    await h.request('/v1/subjects/sub_pw/restriction', {
      method: 'PUT',
      key: key(),
      body: { paused: false },
    });
    expect((await exact()).contribution('sub_pw').interactions).toBe(2);
  });

  it('R6: pausing a subject never seen stores a paused level-0 state; a bad body changes nothing', async () => {
    const r = await h.request('/v1/subjects/sub_new/restriction', {
      method: 'PUT',
      key: key(),
      body: { paused: true },
    });
    expect(r.status).toBe(200);
    const state = (await h.request('/v1/subjects/sub_new/consent', { key: key() })).body;
    expect(state).toMatchObject({ level: 0, paused: true });
    await consentTo(h, 'sub_new', 2);
    expect((await h.request('/v1/subjects/sub_new/consent', { key: key() })).body).toMatchObject({
      level: 2,
      paused: true,
    });
    for (const body of [{}, { paused: 'yes' }, { paused: true, extra: 1 }]) {
      const bad = await h.request('/v1/subjects/sub_p/restriction', { method: 'PUT', key: key(), body });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    expect((await h.request('/v1/subjects/sub_p/consent', { key: key() })).body.paused).toBe(false);
  });

  it('O3: objecting to direct marketing turns marketing off at once; no later choice turns it on', async () => {
    await consentTo(h, 'sub_m', 0, key(), { purposes: { email_offers: true } });
    await send([purchase('sub_m', 'tea', 1)]);
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_m')).toHaveLength(1);
    const r = await h.request('/v1/subjects/sub_m/objection', {
      method: 'PUT',
      key: key(),
      body: { direct_marketing: true, profiling: false },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ withdrawn_purposes: ['email_offers'], erased_events: 1 });
    // Ingest: the purchase was held only for e-mail offers; from now on it is not stored.
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_m')).toEqual([]);
    expect(await send([purchase('sub_m', 'cups', 0)])).toMatchObject({
      accepted: 0,
      dropped_reasons: { no_consent: 1 },
    });
    // The ledger records it as a withdrawal with method api.
    const records = (await h.request('/v1/subjects/sub_m/consent/records', { key: key() })).body.records;
    expect(records.at(-1).record).toMatchObject({
      event_type: 'consent_withdrawn',
      method: 'api',
      withdrawn_purposes: ['email_offers'],
    });
    // Absolute: a later choice with the switch on does not turn it on while the objection stands.
    const later = await consentTo(h, 'sub_m', 2, key(), {
      purposes: { email_offers: true, offers_near_me: true },
    });
    expect(later.state.purposes).toMatchObject({
      email_offers: false,
      offers_near_me: false,
      history_personalization: true,
    });
    expect((await h.request('/v1/subjects/sub_m/objection', { key: key() })).body.objection).toEqual({
      direct_marketing: true,
      profiling: false,
    });
    // Lifting it turns nothing on by itself; the customer chooses again.
    const lifted = await h.request('/v1/subjects/sub_m/objection', {
      method: 'PUT',
      key: key(),
      body: { direct_marketing: false, profiling: false },
    });
    expect(lifted.body.withdrawn_purposes).toEqual([]);
    expect((await h.request('/v1/subjects/sub_m/consent', { key: key() })).body.purposes.email_offers).toBe(
      false,
    );
    const again = await consentTo(h, 'sub_m', 2, key(), { purposes: { email_offers: true } });
    expect(again.state.purposes.email_offers).toBe(true);
  });

  it('O3: objecting to profiling stops history-based recommendations and predictions at once', async () => {
    await consentTo(h, 'sub_q', 3);
    await send([purchase('sub_q', 'tea', 40), purchase('sub_q', 'tea', 20), purchase('sub_q', 'teapot', 3)]);
    expect((await predictions('sub_q')).length).toBeGreaterThan(0);
    expect((await forYou('sub_q')).level).toBe(3);
    const r = await h.request('/v1/subjects/sub_q/objection', {
      method: 'PUT',
      key: key(),
      body: { direct_marketing: false, profiling: true },
    });
    expect(r.body.withdrawn_purposes).toEqual(['history_personalization', 'predictions']);
    expect(await predictions('sub_q')).toEqual([]);
    const recs = await forYou('sub_q');
    expect(recs.level).toBeLessThanOrEqual(1);
    expect(recs.items.flatMap((i: any) => i.reasons.map((x: any) => x.purpose))).not.toContain(
      'history_personalization',
    );
    // Choosing level 3 again keeps profiling off while the objection stands.
    const later = await consentTo(h, 'sub_q', 3);
    expect(later.state.purposes).toMatchObject({
      history_personalization: false,
      predictions: false,
      aggregate_models: true,
    });
    await exact();
  });

  it('R6, O3: the public key pauses and objects for its own subject only; bad bodies are refused', async () => {
    const { subject_id, token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey }))
      .body;
    const asBrowser = { key: h.shop.publicKey, headers: { 'x-vitrine-subject': token } };
    expect(
      (
        await h.request(`/v1/subjects/${subject_id}/restriction`, {
          ...asBrowser,
          method: 'PUT',
          body: { paused: true },
        })
      ).status,
    ).toBe(200);
    const other = await h.request('/v1/subjects/sub_p/restriction', {
      ...asBrowser,
      method: 'PUT',
      body: { paused: true },
    });
    expect(other.status).toBe(403);
    const otherObjection = await h.request('/v1/subjects/sub_p/objection', {
      ...asBrowser,
      method: 'PUT',
      body: { direct_marketing: true, profiling: true },
    });
    expect(otherObjection.status).toBe(403);
    expect((await h.request('/v1/subjects/sub_p/consent', { key: key() })).body.paused).toBe(false);
    const bad = await h.request(`/v1/subjects/${subject_id}/objection`, {
      ...asBrowser,
      method: 'PUT',
      body: { direct_marketing: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('profiling');
  });
});
