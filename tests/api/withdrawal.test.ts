import type { ModelUpdates } from '@vitrine/server';
import { Vitrine } from '@vitrine/server';
import { StorageError, type TransactionRepositories } from '@vitrine/storage';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

/**
 * A withdrawal writes in several places: the consent record, the deletion of data held only on
 * the withdrawn purposes (one transaction), and then the shared models in memory. These tests
 * inject a failure between the steps.
 */
describe.each(drivers())('withdrawal across store and models (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  beforeAll(async () => {
    h = await openHarness(driver);
    await h.request('/v1/items', {
      key: key(),
      body: { items: [{ id: 'vas-1', title: 'Vase Nordlicht', price: 29.95 }] },
    });
  });
  afterAll(() => h.close());

  const view = (subject: string) => ({
    events: [{ type: 'view', subject_id: subject, session_id: `ses_${subject}`, item_id: 'vas-1' }],
  });
  const withdraw = async (subject: string) => {
    const notice = (await h.request('/v1/notice', { key: key() })).body;
    return h.request(`/v1/subjects/${subject}/consent`, {
      method: 'PUT',
      key: key(),
      body: { level: 0, notice_version: notice.version, method: 'reject' },
    });
  };
  const records = async (subject: string) =>
    (await h.request(`/v1/subjects/${subject}/consent/records`, { key: key() })).body.records.length;

  it('C8, C9: when the deletion fails, the withdrawal is not recorded either; asked again, both happen', async () => {
    await consentTo(h, 'sub_tx', 2);
    expect((await h.request('/v1/events', { key: key(), body: view('sub_tx') })).body.accepted).toBe(1);
    const ledgerBefore = await records('sub_tx');

    const store = h.vitrine.store;
    const real = store.transaction.bind(store);
    store.transaction = <T>(work: (tx: TransactionRepositories) => Promise<T>) =>
      real((tx) => {
        const events = Object.create(tx.events) as TransactionRepositories['events'];
        events.deleteWithdrawn = async () => {
          throw new StorageError(
            'unavailable',
            'Could not delete the subject events: the database is unavailable.',
          );
        };
        return work({ ...tx, events });
      });
    let failed: Awaited<ReturnType<typeof withdraw>>;
    try {
      failed = await withdraw('sub_tx');
    } finally {
      store.transaction = real;
    }
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('unavailable');
    expect(await records('sub_tx')).toBe(ledgerBefore);
    expect((await h.request('/v1/subjects/sub_tx/consent', { key: key() })).body.level).toBe(2);
    expect(await store.events.listForSubject(h.shop.shopId, 'sub_tx')).toHaveLength(1);

    const ok = await withdraw('sub_tx');
    expect(ok.status).toBe(200);
    expect(ok.body.erased_events).toBe(1);
    expect(await records('sub_tx')).toBe(ledgerBefore + 1);
    expect(await store.events.listForSubject(h.shop.shopId, 'sub_tx')).toEqual([]);
  });

  it('C9: when the model update fails after commit, the models are rebuilt from the store without the subject', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    await h.vitrine.idle();
    const before = rt.models.fingerprint();
    await consentTo(h, 'sub_mem', 2);
    await h.request('/v1/events', { key: key(), body: view('sub_mem') });
    expect(rt.models.fingerprint()).not.toBe(before);

    const deps = h.vitrine.deps as { models: ModelUpdates };
    const real = deps.models;
    deps.models = {
      learned: (...a) => real.learned(...a),
      forgotten: (...a) => real.forgotten(...a),
      subjectReturned: (...a) => real.subjectReturned(...a),
      itemsChanged: (...a) => real.itemsChanged(...a),
      rebuild: (id) => real.rebuild(id),
      subjectLeft: () => {
        throw new Error('the model update failed');
      },
    };
    try {
      expect((await withdraw('sub_mem')).status).toBe(200);
    } finally {
      deps.models = real;
    }
    await h.vitrine.idle();
    expect((await h.vitrine.shop(h.shop.shopId)).models.fingerprint()).toBe(before);
  });

  it('C9: when the process stops between commit and model update, start-up builds the models without the subject', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    await h.vitrine.idle();
    const before = rt.models.fingerprint();
    await consentTo(h, 'sub_crash', 2);
    await h.request('/v1/events', { key: key(), body: view('sub_crash') });
    const learned = rt.models.fingerprint();
    expect(learned).not.toBe(before);

    // The process "stops" right after the commit: nothing after it runs in this process.
    const deps = h.vitrine.deps as { models: ModelUpdates };
    const real = deps.models;
    const stopped = () => {
      throw new Error('the process stopped');
    };
    deps.models = {
      learned: stopped,
      itemsChanged: stopped,
      rebuild: stopped,
      subjectLeft: stopped,
      forgotten: stopped,
      subjectReturned: stopped,
    };
    try {
      await withdraw('sub_crash');
    } finally {
      deps.models = real;
    }
    expect(rt.models.fingerprint()).toBe(learned);
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_crash')).toEqual([]);

    // A new process on the same store: its models come from the committed facts.
    const restarted = new Vitrine({
      store: h.vitrine.store,
      log: pino({ level: 'silent' }),
      secret: 'test-secret-test-secret-test-secret-1234',
      defaultPolicy: h.vitrine.defaultPolicy,
      now: () => h.clock.now,
    });
    expect((await restarted.shop(h.shop.shopId)).models.fingerprint()).toBe(before);
  });
});
