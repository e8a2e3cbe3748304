import { ConsentRecord } from '@vitrine/consent';
import { loadDefaultPolicy, sha256Hex } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('consent over HTTP (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  beforeAll(async () => {
    h = await openHarness(driver);
  });
  afterAll(() => h.close());
  const notice = async (lang = 'de') => (await h.request(`/v1/notice?lang=${lang}`, { key: key() })).body;
  const put = (subject: string, body: unknown, headers: Record<string, string> = {}) =>
    h.request(`/v1/subjects/${subject}/consent`, { method: 'PUT', key: key(), body, headers });

  it('D1: a new subject is at level 0 with nothing granted', async () => {
    const r = await h.request('/v1/subjects/sub_neu1/consent', { key: key() });
    expect(r.body).toMatchObject({ level: 0, purposes: {}, dpv_state: 'requested', needs_reconsent: false });
  });

  it('C10: a consent record carries every ISO/IEC TS 27560 field and the exact notice text can be reproduced', async () => {
    const n = await notice('en');
    const r = await put('sub_c10', { level: 2, notice_version: n.version, language: 'en', method: 'accept' });
    expect(r.status).toBe(200);
    const record = ConsentRecord.parse(r.body.record);
    expect(record).toMatchObject({
      subject_id: 'sub_c10',
      notice: { id: n.notice_id, version: n.version, language: 'en', text_hash: n.text_hash },
      event_type: 'consent_given',
      state: 'given',
      method: 'accept',
      level: 2,
    });
    expect(record.purposes).toEqual(
      expect.arrayContaining(['session_personalization', 'history_personalization']),
    );
    expect(record.data_categories.length).toBeGreaterThan(0);
    expect(record.controller.name).not.toBe('');
    expect(record.withdrawal_method.path).toMatch(/^\//);
    expect(record.valid_until).not.toBeNull();
    const ledger = await h.request('/v1/subjects/sub_c10/consent/records', { key: key() });
    const [entry] = ledger.body.records;
    expect(entry.record.id).toBe(record.id);
    expect(sha256Hex(entry.notice_text)).toBe(record.notice.text_hash);
  });

  it('C12: the DPV state follows given → withdrawn → given', async () => {
    const n = await notice();
    const states: string[] = [];
    for (const level of [1, 0, 2]) {
      const r = await put('sub_c12', {
        level,
        notice_version: n.version,
        language: 'de',
        method: level === 0 ? 'reject' : 'accept',
      });
      states.push(r.body.state.dpv_state);
    }
    expect(states).toEqual(['given', 'withdrawn', 'given']);
    const refused = await put('sub_c12b', {
      level: 0,
      notice_version: n.version,
      language: 'de',
      method: 'reject',
    });
    expect(refused.body.state.dpv_state).toBe('refused');
  });

  it('a choice made on an old notice version is refused with 409 and changes nothing', async () => {
    const n = await notice();
    const r = await put('sub_stale', {
      level: 2,
      notice_version: n.version + 5,
      language: 'de',
      method: 'accept',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.field).toBe('notice_version');
    expect((await h.request('/v1/subjects/sub_stale/consent', { key: key() })).body.level).toBe(0);
  });

  it('an undeclared purpose switch is refused and names the field', async () => {
    const n = await notice();
    const r = await put('sub_sw', {
      level: 1,
      notice_version: n.version,
      purposes: { newsletter_tracking: true },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('purposes.newsletter_tracking');
  });

  it('O1: Sec-GPC: 1 caps the level at 1 and is recorded with method gpc, unless overridden explicitly', async () => {
    const n = await notice();
    const capped = await put(
      'sub_gpc',
      { level: 3, notice_version: n.version, method: 'accept' },
      { 'sec-gpc': '1' },
    );
    expect(capped.body.state.level).toBe(1);
    expect(capped.body.record).toMatchObject({
      method: 'gpc',
      gpc: { signal: true, override: false, requested_level: 3 },
    });
    const chosen = await put(
      'sub_gpc',
      { level: 3, notice_version: n.version, method: 'accept', override_gpc: true },
      { 'sec-gpc': '1' },
    );
    expect(chosen.body.state.level).toBe(3);
    expect(chosen.body.record.gpc).toMatchObject({ signal: true, override: true });
    // A GPC signal with no choice at all is recorded too.
    const seen = await h.request('/v1/subjects/sub_gpc2/consent', {
      key: key(),
      headers: { 'sec-gpc': '1' },
    });
    expect(seen.body.gpc).toBe(true);
    const ledger = await h.request('/v1/subjects/sub_gpc2/consent/records', { key: key() });
    expect(ledger.body.records[0].record).toMatchObject({ event_type: 'gpc_signal', method: 'gpc' });
  });

  it('O2: /.well-known/gpc.json is served', async () => {
    const r = await h.request('/.well-known/gpc.json');
    expect(r.status).toBe(200);
    expect(r.body.gpc).toBe(true);
    expect(r.body.lastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('C8, C9: withdrawal takes effect at once and erases data held only on the withdrawn consent', async () => {
    await consentTo(h, 'sub_c8', 2);
    const ev = (item: string) => ({
      events: [{ type: 'view', subject_id: 'sub_c8', session_id: 'ses_c8', item_id: item }],
    });
    expect((await h.request('/v1/events', { key: key(), body: ev('sku-1') })).body.accepted).toBe(1);
    const n = await notice();
    const r = await put('sub_c8', { level: 0, notice_version: n.version, method: 'reject' });
    expect(r.body.erased_events).toBe(1);
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_c8')).toEqual([]);
    expect((await h.request('/v1/events', { key: key(), body: ev('sku-2') })).body).toMatchObject({
      accepted: 0,
      dropped: 1,
    });
  });

  it('C11: a change of purposes bumps the notice version and asks again; changed parts count as not consented', async () => {
    await consentTo(h, 'sub_c11', 2);
    const before = await notice();
    const policy = loadDefaultPolicy();
    // Purchases are now kept for two years instead of one: every purpose reading them changes scope.
    policy.categories.purchases!.retention = 'P24M';
    await h.vitrine.updatePolicy(h.shop.shopId, policy);
    const after = await notice();
    expect(after.version).toBe(before.version + 1);
    const state = await h.request('/v1/subjects/sub_c11/consent', { key: key() });
    expect(state.body.needs_reconsent).toBe(true);
    expect(state.body.purposes.history_personalization).toBe(false);
    expect(state.body.purposes.aggregate_models).toBe(false);
    expect(state.body.purposes.session_personalization).toBe(true);
    // Purchases, read only by the changed purposes, are no longer stored until the customer agrees again.
    await h.request('/v1/events', {
      key: key(),
      body: {
        events: [
          {
            type: 'purchase',
            subject_id: 'sub_c11',
            session_id: 's',
            order_id: 'o',
            lines: [{ item_id: 'a', quantity: 1, price: 1 }],
          },
        ],
      },
    });
    expect(
      (await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_c11')).filter(
        (e) => e.type === 'purchase',
      ),
    ).toEqual([]);
  });
});
