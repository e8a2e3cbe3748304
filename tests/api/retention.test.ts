import { addDuration } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionStart } from '../../apps/server/src/jobs/retention';
import { consentTo, drivers, type Harness, openHarness } from './harness';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T10:00:00Z');

/**
 * The real retention job (`runRetention`, what the timer runs), with the harness clock moved by
 * hand. Each test starts from T0 and restores it.
 */
describe.each(drivers())('retention reaches the models (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const at = (iso: string) => {
    h.clock.now = Date.parse(iso);
  };
  const send = async (events: unknown[]) =>
    (await h.request('/v1/events', { key: key(), body: { events } })).body;
  const stored = (subject: string) => h.vitrine.store.events.listForSubject(h.shop.shopId, subject);
  /** The live models equal models a restarted process builds from the store now. */
  const exact = async () => {
    const live = (await h.vitrine.shop(h.shop.shopId)).models;
    const fresh = (await h.restart().shop(h.shop.shopId)).models;
    expect(live.fingerprint()).toBe(fresh.fingerprint());
    expect(live.digest()).toBe(fresh.digest());
    return live;
  };

  beforeAll(async () => {
    h = await openHarness(driver);
    await h.request('/v1/items', {
      key: key(),
      body: { items: ['tea', 'cups', 'vase'].map((id) => ({ id, title: id, price: 5 })) },
    });
  });
  afterAll(() => h.close());

  it('D2: "12 months" is twelve calendar months: the job deletes an event then, not after 360 days, and the models forget it in the same pass', async () => {
    at('2026-11-23T10:00:00.000Z');
    await consentTo(h, 'sub_year', 2);
    await send([{ type: 'view', subject_id: 'sub_year', session_id: 'ses_y1', item_id: 'tea' }]);
    at('2027-01-10T08:00:00.000Z');
    await send([{ type: 'view', subject_id: 'sub_year', session_id: 'ses_y1', item_id: 'cups' }]);
    // Consent renewed half a year later, so only the events' own retention is at work.
    at('2027-05-23T10:00:00.000Z');
    await consentTo(h, 'sub_year', 2);
    const live = (await h.vitrine.shop(h.shop.shopId)).models;
    expect(live.contribution('sub_year').interactions).toBe(2);

    // 360 days on: still within twelve months.
    h.clock.now = T0 + 360 * DAY + 3_600_000;
    expect((await h.vitrine.runRetention())?.expiredEvents).toBe(0);
    expect(await stored('sub_year')).toHaveLength(2);

    at('2027-11-23T09:59:59.999Z');
    await h.vitrine.runRetention();
    expect(await stored('sub_year')).toHaveLength(2);
    expect(live.contribution('sub_year').interactions).toBe(2);

    at('2027-11-23T10:00:00.000Z');
    const pass = await h.vitrine.runRetention();
    expect(pass).toMatchObject({ expiredEvents: 1, modelInteractionsRemoved: 1 });
    expect((await stored('sub_year')).map((e) => e.itemId)).toEqual(['cups']);
    // In the same step: the models no longer hold it, and equal a rebuild from the store.
    expect(live.contribution('sub_year').interactions).toBe(1);
    await exact();
    at('2026-11-23T10:00:00.000Z');
  });

  it('C9, C12: a consent that runs out is recorded as expired; its data and the subject leave store and models in the same pass', async () => {
    at('2026-11-23T10:00:00.000Z');
    await consentTo(h, 'sub_exp', 2);
    at('2027-03-01T00:00:00.000Z');
    await send([{ type: 'view', subject_id: 'sub_exp', session_id: 'ses_e', item_id: 'vase' }]);
    at('2027-04-01T00:00:00.000Z');
    await send([{ type: 'view', subject_id: 'sub_exp', session_id: 'ses_e2', item_id: 'tea' }]);
    const live = (await h.vitrine.shop(h.shop.shopId)).models;
    expect(live.holdsSubject('sub_exp')).toBe(true);
    expect((await h.vitrine.store.events.listSessions(h.shop.shopId, 'sub_exp')).length).toBe(2);

    at('2027-11-23T10:00:00.000Z');
    const pass = await h.vitrine.runRetention();
    expect(pass?.expiredConsents).toBeGreaterThanOrEqual(1);
    expect(await stored('sub_exp')).toEqual([]);
    expect(await h.vitrine.store.events.listSessions(h.shop.shopId, 'sub_exp')).toEqual([]);
    expect(live.holdsSubject('sub_exp')).toBe(false);
    await exact();
    const state = (await h.request('/v1/subjects/sub_exp/consent', { key: key() })).body;
    expect(state).toMatchObject({ level: 0, dpv_state: 'expired', needs_reconsent: false });
    const records = (await h.request('/v1/subjects/sub_exp/consent/records', { key: key() })).body.records;
    expect(records.at(-1).record).toMatchObject({
      event_type: 'consent_expired',
      state: 'expired',
      level: 0,
    });
    // Once recorded, a later pass finds nothing more to expire.
    expect((await h.vitrine.runRetention())?.expiredConsents).toBe(0);
    at('2026-11-23T10:00:00.000Z');
  });

  it('C8: an ended level-1 session goes with its session rows; it never was in the shared models', async () => {
    at('2026-11-23T10:00:00.000Z');
    await consentTo(h, 'sub_visit', 1);
    await send([{ type: 'view', subject_id: 'sub_visit', session_id: 'ses_v', item_id: 'tea' }]);
    const live = (await h.vitrine.shop(h.shop.shopId)).models;
    expect(live.holdsSubject('sub_visit')).toBe(false);
    h.clock.now = T0 + 29 * 60_000;
    await h.vitrine.runRetention();
    expect(await stored('sub_visit')).toHaveLength(1);
    h.clock.now = T0 + 30 * 60_000;
    expect((await h.vitrine.runRetention())?.endedSessionEvents).toBe(1);
    expect(await stored('sub_visit')).toEqual([]);
    expect(await h.vitrine.store.events.listSessions(h.shop.shopId, 'sub_visit')).toEqual([]);
    await exact();
    at('2026-11-23T10:00:00.000Z');
  });

  it('C9: a withdrawal to level 0 removes the subject\u2019s session rows with their events', async () => {
    at('2026-11-23T10:00:00.000Z');
    await consentTo(h, 'sub_zero', 2);
    await send([
      { type: 'view', subject_id: 'sub_zero', session_id: 'ses_z1', item_id: 'tea' },
      { type: 'search', subject_id: 'sub_zero', session_id: 'ses_z2', query: 'vase' },
    ]);
    expect(await h.vitrine.store.events.listSessions(h.shop.shopId, 'sub_zero')).toHaveLength(2);
    const r = await consentTo(h, 'sub_zero', 0);
    expect(r.erased_events).toBe(2);
    expect(await h.vitrine.store.events.listSessions(h.shop.shopId, 'sub_zero')).toEqual([]);
    const rows = await h.sql('select count(*) as n from sessions where subject_id = ?', ['sub_zero']);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('consent records and answered requests go when their retention as proof (P3Y) ends', async () => {
    at('2026-11-23T10:00:00.000Z');
    await consentTo(h, 'sub_old', 1);
    await h.request('/v1/subjects/sub_old/export', { key: key() });
    const records = () => h.vitrine.store.consent.listRecords(h.shop.shopId, 'sub_old');
    const requests = () => h.vitrine.store.rightsRequests.listForSubject(h.shop.shopId, 'sub_old');
    expect(await records()).toHaveLength(1);
    expect(await requests()).toHaveLength(1);
    const end = addDuration(T0, 'P3Y');
    h.clock.now = end - 1;
    await h.vitrine.runRetention();
    // The consent ran out long ago: this pass records its expiry; the first record is still proof.
    expect((await records()).map((r) => JSON.parse(r.record).event_type)).toEqual([
      'consent_given',
      'consent_expired',
    ]);
    expect(await requests()).toHaveLength(1);
    h.clock.now = end + 1;
    await h.vitrine.runRetention();
    expect((await records()).map((r) => JSON.parse(r.record).event_type)).toEqual(['consent_expired']);
    expect(await requests()).toEqual([]);
    at('2026-11-23T10:00:00.000Z');
  });

  it('retentionStart is the exact calendar inverse: made before it, past retention; at or after, not', () => {
    for (const [now, d] of [
      ['2029-11-23T10:00:00.000Z', 'P3Y'],
      ['2027-03-31T00:00:00.000Z', 'P1M'],
      ['2028-02-29T12:00:00.000Z', 'P1Y'],
      ['2027-11-23T10:00:00.000Z', 'P12M'],
    ] as const) {
      const t = Date.parse(now);
      const start = retentionStart(t, d);
      expect(addDuration(start, d)).toBeGreaterThan(t);
      expect(addDuration(start - 1, d)).toBeLessThanOrEqual(t);
    }
  });
});
