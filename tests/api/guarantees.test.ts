import { loadDefaultPolicy, sha256Hex } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectView } from '../../apps/server/src/flows/recommend';
import { consentTo, drivers, type Harness, openHarness } from './harness';

/**
 * The guarantees issue 12 found unprotected: each one broken in the code must fail a test here.
 */
describe.each(drivers())('guarantees that must fail a test when broken (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const DAY = 86_400_000;
  const send = async (events: unknown[], k = key()) =>
    (await h.request('/v1/events', { key: k, body: { events } })).body;
  beforeAll(async () => {
    h = await openHarness(driver);
    for (const shop of [h.shop, h.other]) {
      await h.request('/v1/items', {
        key: shop.secretKey,
        body: {
          items: ['tea', 'cups', 'teapot', 'candle', 'vase'].map((id) => ({
            id,
            title: id,
            price: 10,
            category_path: id === 'candle' || id === 'vase' ? ['Wohnen'] : ['Küche'],
          })),
        },
      });
    }
  });
  afterAll(() => h.close());

  it('C8, R2: the public key is bound to its subject on PUT consent, consent records, recommendations and predictions', async () => {
    await consentTo(h, 'sub_victim', 3);
    await send([{ type: 'view', subject_id: 'sub_victim', session_id: 'ses_v', item_id: 'tea' }]);
    const { token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey })).body;
    const asBrowser = { key: h.shop.publicKey, headers: { 'x-vitrine-subject': token } };
    const notice = (await h.request('/v1/notice', { key: key() })).body;
    const recordsBefore = (await h.request('/v1/subjects/sub_victim/consent/records', { key: key() })).body
      .records;

    const put = await h.request('/v1/subjects/sub_victim/consent', {
      ...asBrowser,
      method: 'PUT',
      body: { level: 0, notice_version: notice.version, method: 'reject' },
    });
    expect(put.status).toBe(403);
    expect(put.body.error.field).toBe('subject_id');
    expect((await h.request('/v1/subjects/sub_victim/consent', { key: key() })).body.level).toBe(3);
    expect((await h.request('/v1/subjects/sub_victim/consent/records', { key: key() })).body.records).toEqual(
      recordsBefore,
    );

    const reads = [
      h.request('/v1/subjects/sub_victim/consent/records', asBrowser),
      h.request('/v1/recommendations?scenario=for_you&subject_id=sub_victim', asBrowser),
      h.request('/v1/recommendations', {
        ...asBrowser,
        body: { scenario: 'for_you', subject_id: 'sub_victim' },
      }),
      h.request('/v1/rank', { ...asBrowser, body: { subject_id: 'sub_victim', items: ['tea', 'cups'] } }),
      h.request('/v1/subjects/sub_victim/predictions', asBrowser),
    ];
    for (const r of await Promise.all(reads)) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
      expect(r.body.error.field).toBe('subject_id');
      expect(JSON.stringify(r.body)).not.toContain('tea');
    }
  });

  it('C9: a partial withdrawal (level 2 to 1) deletes the retained data of categories that become session-only', async () => {
    await consentTo(h, 'sub_partial', 2);
    await send([
      { type: 'view', subject_id: 'sub_partial', session_id: 'ses_p', item_id: 'tea' },
      { type: 'add_to_cart', subject_id: 'sub_partial', session_id: 'ses_p', item_id: 'cups', quantity: 1 },
      { type: 'search', subject_id: 'sub_partial', session_id: 'ses_p', query: 'tee' },
      {
        type: 'purchase',
        subject_id: 'sub_partial',
        session_id: 'ses_p',
        order_id: 'o-p',
        lines: [{ item_id: 'teapot', quantity: 1, price: 10 }],
      },
    ]);
    const before = await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_partial');
    expect(
      before
        .filter((e) => !e.sessionScoped)
        .map((e) => e.category)
        .sort(),
    ).toEqual(['browsing', 'cart', 'purchases']);
    const r = await consentTo(h, 'sub_partial', 1);
    expect(r.erased_events).toBe(3);
    const left = await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_partial');
    // Browsing and cart are session-only at level 1: their retained rows went; only session data stays.
    expect(left.every((e) => e.sessionScoped)).toBe(true);
    expect(left.map((e) => e.category)).toEqual(['searches']);
  });

  it('O1: a GPC signal turns profiling and marketing switches off in the same request', async () => {
    const notice = (await h.request('/v1/notice', { key: key() })).body;
    const r = await h.request('/v1/subjects/sub_gpc/consent', {
      method: 'PUT',
      key: key(),
      headers: { 'sec-gpc': '1' },
      body: { level: 2, notice_version: notice.version, method: 'accept', purposes: { email_offers: true } },
    });
    expect(r.status).toBe(200);
    expect(r.body.state).toMatchObject({ level: 1, gpc: true });
    // email_offers is a marketing switch built on profiling: off; so is every profiling purpose.
    expect(r.body.state.purposes).toMatchObject({ email_offers: false, history_personalization: false });
    expect(r.body.record).toMatchObject({
      method: 'gpc',
      gpc: { signal: true, override: false, requested_level: 2 },
    });
    expect(r.body.record.purposes).toEqual(['session_personalization']);
    // And at once: a purchase (held only for the turned-off purposes) is not stored.
    expect(
      await send([
        {
          type: 'purchase',
          subject_id: 'sub_gpc',
          session_id: 's',
          order_id: 'o',
          lines: [{ item_id: 'tea', quantity: 1, price: 1 }],
        },
      ]),
    ).toMatchObject({ accepted: 0, dropped_reasons: { no_consent: 1 } });
  });

  it('C10: an old consent record keeps its exact notice text after the notice changed', async () => {
    const k = h.other.secretKey;
    await consentTo(h, 'sub_text', 2, k);
    const policy = loadDefaultPolicy();
    policy.purposes.history_personalization!.description.de =
      'Geänderter Text: wir merken uns Ihren Verlauf.';
    await h.vitrine.updatePolicy(h.other.shopId, policy);
    await consentTo(h, 'sub_text', 2, k);
    const { records } = (await h.request('/v1/subjects/sub_text/consent/records', { key: k })).body;
    expect(records).toHaveLength(2);
    const [first, second] = records;
    expect(first.record.notice.version).toBe(second.record.notice.version - 1);
    expect(first.notice_text).not.toBe(second.notice_text);
    expect(first.notice_text).not.toContain('Geänderter Text');
    expect(second.notice_text).toContain('Geänderter Text');
    for (const r of records) expect(sha256Hex(r.notice_text)).toBe(r.record.notice.text_hash);
  });

  it('C11: a recipient added inside a purpose asks again; the purpose counts as not consented until then', async () => {
    const k = h.other.secretKey;
    await consentTo(h, 'sub_recipient', 2, k);
    const policy = loadDefaultPolicy();
    policy.purposes.history_personalization!.description.de =
      'Geänderter Text: wir merken uns Ihren Verlauf.';
    policy.recipients.analytics = {
      name: 'Beispiel Analyse GmbH',
      role: { de: 'Wertet für uns aus (Auftragsverarbeiter)', en: 'Analyses for us (processor)' },
      country: 'DE',
    };
    policy.purposes.history_personalization!.recipients.push('analytics');
    await h.vitrine.updatePolicy(h.other.shopId, policy);
    const state = (await h.request('/v1/subjects/sub_recipient/consent', { key: k })).body;
    expect(state.needs_reconsent).toBe(true);
    expect(state.dpv_state).toBe('invalidated');
    expect(state.purposes.history_personalization).toBe(false);
    // Only the changed purpose: the others keep their consent.
    expect(state.purposes.aggregate_models).toBe(true);
    const recs = (
      await h.request('/v1/recommendations?scenario=for_you&subject_id=sub_recipient', { key: k })
    ).body;
    expect(recs.level).toBeLessThan(2);
  });

  it('D2, C8: the view handed to the engine holds only what the consent allows, per level', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    await consentTo(h, 'sub_view', 2);
    await send([
      {
        type: 'view',
        subject_id: 'sub_view',
        session_id: 'ses_old',
        item_id: 'tea',
        ts: new Date(h.clock.now - 3 * DAY).toISOString(),
      },
      {
        type: 'purchase',
        subject_id: 'sub_view',
        session_id: 'ses_old',
        order_id: 'o-v',
        ts: new Date(h.clock.now - 3 * DAY).toISOString(),
        lines: [{ item_id: 'teapot', quantity: 1, price: 10 }],
      },
      { type: 'view', subject_id: 'sub_view', session_id: 'ses_now', item_id: 'cups' },
      { type: 'view', subject_id: 'sub_other_v', session_id: 'ses_now', item_id: 'vase' },
    ]);
    const at2 = await subjectView(h.vitrine.deps, rt, 'sub_view', 'ses_now', false);
    expect(at2.level).toBe(2);
    expect(at2.session.map((i) => i.item)).toEqual(['cups']);
    expect(at2.history.map((i) => i.item).sort()).toEqual(['tea', 'teapot']);
    expect(at2.predictions).toBe(false);
    expect([...at2.allowedCategories].sort()).toEqual([
      'browsing',
      'cart',
      'device_context',
      'purchases',
      'searches',
    ]);
    expect([...at2.session, ...at2.history].every((i) => i.subject === 'sub_view')).toBe(true);

    // Down to level 1: the retained rows went (C9); what is sent now is kept for the session.
    await consentTo(h, 'sub_view', 1);
    await send([
      { type: 'view', subject_id: 'sub_view', session_id: 'ses_before', item_id: 'vase' },
      { type: 'view', subject_id: 'sub_view', session_id: 'ses_now', item_id: 'candle' },
    ]);
    // Another visit's session data is still stored, but level 1 hands the engine this visit only.
    expect(
      (await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_view')).map((e) => e.itemId),
    ).toContain('vase');
    const at1 = await subjectView(h.vitrine.deps, rt, 'sub_view', 'ses_now', false);
    expect(at1.level).toBe(1);
    expect(at1.history).toEqual([]);
    expect(at1.allowedCategories.has('purchases')).toBe(false);
    expect(at1.session.map((i) => i.item)).toEqual(['candle']);

    const neutral = { level: 0, session: [], history: [], predictions: false };
    expect(await subjectView(h.vitrine.deps, rt, 'sub_view', 'ses_now', true)).toMatchObject(neutral);
    await h.request('/v1/subjects/sub_view/restriction', {
      method: 'PUT',
      key: key(),
      body: { paused: true },
    });
    expect(await subjectView(h.vitrine.deps, rt, 'sub_view', 'ses_now', false)).toMatchObject(neutral);
    await h.request('/v1/subjects/sub_view/restriction', {
      method: 'PUT',
      key: key(),
      body: { paused: false },
    });
    await consentTo(h, 'sub_view', 3);
    expect((await subjectView(h.vitrine.deps, rt, 'sub_view', 'ses_now', false)).predictions).toBe(true);
    // Expired consent: nothing personal, whatever is still stored.
    const saved = h.clock.now;
    h.clock.now += 400 * DAY;
    try {
      expect(await subjectView(h.vitrine.deps, rt, 'sub_view', 'ses_now', false)).toMatchObject(neutral);
    } finally {
      h.clock.now = saved;
    }
  });

  it('R4: an erased subject leaves no trace in the models\u2019 subject index, derived weights included', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    for (let i = 0; i < 4; i++) {
      await consentTo(h, `sub_buyer${i}`, 2);
      await send([
        {
          type: 'purchase',
          subject_id: `sub_buyer${i}`,
          session_id: 's',
          order_id: `o${i}`,
          lines: [
            { item_id: 'tea', quantity: 1, price: 1 },
            { item_id: 'cups', quantity: 1, price: 1 },
          ],
        },
      ]);
    }
    await h.vitrine.refreshModels(rt);
    expect(rt.models.derived?.subjects.has('sub_buyer0')).toBe(true);
    expect(rt.models.holdsSubject('sub_buyer0')).toBe(true);
    expect((await h.request('/v1/subjects/sub_buyer0', { method: 'DELETE', key: key() })).status).toBe(200);
    expect(rt.models.holdsSubject('sub_buyer0')).toBe(false);
    expect(rt.models.sessions.subjects).not.toContain('sub_buyer0');
    expect(rt.models.sessions.keys.some((k) => k.startsWith('sub_buyer0\u0000'))).toBe(false);
    expect(rt.models.derived?.subjects.has('sub_buyer0') ?? false).toBe(false);
    await h.vitrine.refreshModels(rt);
    expect(rt.models.derived?.subjects.has('sub_buyer0') ?? false).toBe(false);
    expect(rt.models.derived?.subjects.has('sub_buyer1')).toBe(true);
  });
});
