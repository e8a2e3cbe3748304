import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from '../api/harness';

const DAY = 24 * 60 * 60_000;

describe.each(drivers())('Idempotency-Key (#11, %s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
    await consentTo(h, 'sub_idem', 2);
  });
  afterAll(() => h.close());

  const batch = (session: string, n = 3) => ({
    events: Array.from({ length: n }, (_, i) => ({
      type: 'view',
      subject_id: 'sub_idem',
      session_id: session,
      item_id: `sku-${i}`,
    })),
  });
  const postEvents = (
    key: string,
    body: unknown,
    headers: Record<string, string> = {},
    apiKey = h.shop.secretKey,
  ) => h.request('/v1/events', { key: apiKey, body, headers: { 'idempotency-key': key, ...headers } });
  const count = () => h.vitrine.store.events.count(h.shop.shopId);

  it('the same key and body replays the first answer without storing again', async () => {
    const before = await count();
    const first = await postEvents('k-replay', batch('ses_replay'));
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await count()).toBe(before + 3);
    const dump = await h.dump();
    for (let i = 0; i < 3; i++) {
      const again = await postEvents('k-replay', batch('ses_replay'));
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(await h.dump()).toBe(dump);
  });

  it('the same key with a different body gets 409 idempotency_conflict and stores nothing', async () => {
    await postEvents('k-conflict', batch('ses_c1'));
    const dump = await h.dump();
    for (const [body, path] of [
      [batch('ses_c2'), '/v1/events'],
      [batch('ses_c1', 2), '/v1/events'],
    ] as const) {
      const r = await h.request(path, {
        key: h.shop.secretKey,
        body,
        headers: { 'idempotency-key': 'k-conflict' },
      });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'idempotency-key' });
      expect(r.body.error.message).toMatch(/new key/);
    }
    expect(await h.dump()).toBe(dump);
  });

  it('concurrent requests with one key store the batch once and all get the same answer', async () => {
    const before = await count();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => postEvents('k-concurrent', batch('ses_concurrent', 5))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(11);
    expect(await count()).toBe(before + 5);
  });

  it('the same batch run again under its key (a crash before the answer was kept) stores nothing twice', async () => {
    const before = await count();
    await postEvents('k-rerun', batch('ses_rerun', 4));
    // As if the process died after storing the events but before keeping the answer.
    await h.vitrine.store.idempotency.purgeExpired(h.clock.now + 2 * DAY);
    const rerun = await postEvents('k-rerun', batch('ses_rerun', 4));
    expect(rerun.status).toBe(200);
    expect(rerun.body.dropped_reasons).toEqual({ duplicate: 4 });
    expect(await count()).toBe(before + 4);
  });

  it('items too: a replay upserts nothing, another body under the key is a conflict', async () => {
    const items = { items: [{ id: 'sku-idem', title: 'Vase Idem', price: 10 }] };
    const post = (body: unknown) =>
      h.request('/v1/items', { key: h.shop.secretKey, body, headers: { 'idempotency-key': 'k-items' } });
    const first = await post(items);
    expect(first.status).toBe(200);
    const dump = await h.dump();
    const again = await post(items);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await post({ items: [{ id: 'sku-idem', title: 'Vase Anders', price: 10 }] })).status).toBe(409);
    expect(await h.dump()).toBe(dump);
  });

  it('keys belong to their caller: another subject with the same key is not answered from the first', async () => {
    const pk = h.shop.publicKey;
    const subjects = [];
    for (let i = 0; i < 2; i++) {
      const s = (await h.request('/v1/subjects', { key: pk, method: 'POST' })).body;
      await consentTo(h, s.subject_id, 2);
      subjects.push(s as { subject_id: string; token: string });
    }
    const answers = [];
    for (const s of subjects) {
      const body = {
        events: [{ type: 'view', subject_id: s.subject_id, session_id: 'ses_pk', item_id: 'sku-1' }],
      };
      answers.push(await postEvents('k-shared', body, { 'x-vitrine-subject': s.token }, pk));
    }
    expect(answers.map((a) => [a.status, a.headers.get('idempotent-replayed')])).toEqual([
      [200, null],
      [200, null],
    ]);
    for (const s of subjects)
      expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, s.subject_id)).toHaveLength(1);
  });

  it('a refused request keeps no answer: the same key works once the body is fixed', async () => {
    const bad = await postEvents('k-fixed', { events: [{ type: 'view', subject_id: 'sub_idem' }] });
    expect(bad.status).toBe(400);
    const good = await postEvents('k-fixed', batch('ses_fixed', 1));
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a malformed key is refused naming the header', async () => {
    for (const key of ['', 'with space', 'x'.repeat(256), 'ümlaut']) {
      const r = await h.app.request('/v1/events', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h.shop.secretKey}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(batch('ses_bad_key', 1)),
      });
      expect(r.status).toBe(400);
      expect((await r.json()).error).toMatchObject({ code: 'validation_failed', field: 'idempotency-key' });
    }
  });

  it('answers are kept 24 hours, then the retention job deletes them and the key is free again', async () => {
    await postEvents('k-expiry', batch('ses_expiry', 1));
    const stored = await h.vitrine.store.idempotency.get(h.shop.shopId, 'secret', 'k-expiry', h.clock.now);
    expect(stored?.expiresAt).toBe(h.clock.now + DAY);
    h.clock.now += DAY - 1;
    expect((await postEvents('k-expiry', batch('ses_expiry', 1))).headers.get('idempotent-replayed')).toBe(
      'true',
    );
    h.clock.now += 1;
    h.vitrine.startRetention(60_000);
    await h.vitrine.idle();
    // The pass runs on a timer: wait for it (a loaded machine can take longer than one tick).
    await vi.waitFor(
      async () =>
        expect(await h.vitrine.store.idempotency.get(h.shop.shopId, 'secret', 'k-expiry', 0)).toBeUndefined(),
      { timeout: 10_000, interval: 100 },
    );
    const fresh = await postEvents('k-expiry', batch('ses_expiry_2', 1));
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
  });
});
