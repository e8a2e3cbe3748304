import { hashSubject, verifyInclusionProof } from '@vitrine/audit';
import { buildExactModels } from '@vitrine/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { erasureHooks } from '../../apps/server/src/flows/erasure';
import { toInteractions } from '../../apps/server/src/runtime/rows';
import { consentTo, drivers, type Harness, openHarness } from './harness';

/** Every text cell of every table that holds the value: where an id could hide after an erasure. */
async function cellsHolding(h: Harness, value: string): Promise<string[]> {
  const tables =
    h.driver === 'sqlite'
      ? (await h.sql("select name from sqlite_master where type = 'table'")).map((r) => String(r.name))
      : (
          await h.sql(
            'select table_name as name from information_schema.tables where table_schema = current_schema()',
          )
        ).map((r) => String(r.name));
  const found: string[] = [];
  for (const table of tables) {
    for (const row of await h.sql(`select * from ${table}`)) {
      for (const [column, cell] of Object.entries(row)) {
        if (typeof cell === 'string' && cell.includes(value)) found.push(`${table}.${column}`);
      }
    }
  }
  return [...new Set(found)];
}

describe.each(drivers())('erasure (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  beforeAll(async () => {
    h = await openHarness(driver, { identity: true });
    await h.request('/v1/items', {
      key: key(),
      body: {
        items: [
          { id: 'vas-1', title: 'Vase Nordlicht', price: 29.95, category_path: ['Wohnen', 'Vasen'] },
          { id: 'ker-1', title: 'Kerze Bienenwachs', price: 9.95, category_path: ['Wohnen', 'Kerzen'] },
          { id: 'tee-1', title: 'Teekanne Aurora', price: 39.95, category_path: ['Küche', 'Tee'] },
        ],
      },
    });
  });
  afterAll(() => h.close());
  afterEach(() => {
    erasureHooks.beforeStep = () => {};
  });

  /** A subject with data in every place: consent, events (retained and session), identity, exclusion, objection, requests. */
  async function richSubject(subject: string) {
    await consentTo(h, subject, 3, key(), { purposes: { email_offers: true } });
    const events = [
      { type: 'view', subject_id: subject, session_id: `ses_${subject}_1`, item_id: 'vas-1' },
      {
        type: 'add_to_cart',
        subject_id: subject,
        session_id: `ses_${subject}_1`,
        item_id: 'ker-1',
        quantity: 2,
      },
      {
        type: 'purchase',
        subject_id: subject,
        session_id: `ses_${subject}_1`,
        order_id: `o-${subject}`,
        lines: [
          { item_id: 'vas-1', quantity: 1, price: 29.95 },
          { item_id: 'ker-1', quantity: 2, price: 9.95 },
        ],
      },
      { type: 'search', subject_id: subject, session_id: `ses_${subject}_2`, query: 'kerzen' },
      { type: 'view', subject_id: subject, session_id: `ses_${subject}_2`, item_id: 'tee-1' },
    ];
    expect((await h.request('/v1/events', { key: key(), body: { events } })).body.accepted).toBe(5);
    expect(
      (
        await h.request(`/v1/subjects/${subject}/identity`, {
          method: 'PUT',
          key: key(),
          body: { email: `${subject}@example.org`, name: 'Erika Muster' },
        })
      ).status,
    ).toBe(200);
    await h.request(`/v1/subjects/${subject}/exclusions`, { key: key(), body: { item_id: 'tee-1' } });
    await h.request(`/v1/subjects/${subject}/objection`, {
      method: 'PUT',
      key: key(),
      body: { direct_marketing: true, profiling: false },
    });
  }

  /** The models rebuilt from what the store holds now: what the in-memory models must equal. */
  async function rebuilt() {
    const rt = await h.vitrine.shop(h.shop.shopId);
    const fresh = await h.restart().shop(h.shop.shopId);
    return { live: rt.models, fresh: fresh.models };
  }

  it('R4: erasure removes the subject from every table, the identity store and the models, and returns a receipt', async () => {
    await richSubject('sub_erase1');
    await richSubject('sub_keep1');
    const rt = await h.vitrine.shop(h.shop.shopId);
    expect(rt.models.holdsSubject('sub_erase1')).toBe(true);
    const before = rt.models.digest();

    const r = await h.request('/v1/subjects/sub_erase1', { method: 'DELETE', key: key() });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('completed');
    const receipt = r.body.receipt;
    const hash = hashSubject(h.shop.shopId, 'sub_erase1');
    expect(receipt).toMatchObject({
      format: 'vitrine-erasure-receipt/1',
      shop_id: h.shop.shopId,
      subject: hash,
      removed: {
        events: 6,
        sessions: 2,
        consent_state: 1,
        exclusions: 1,
        objections: 1,
        identity_keys: 1,
        identity_fields: 2,
        idempotency_answers: 0,
        shared_models: { sessions: 2, interactions: 5 },
      },
      kept: { consent_records: { under: hash }, rights_requests: { under: hash } },
      models: { fingerprint_before: before },
    });
    expect(receipt.kept.consent_records.count).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(receipt)).not.toContain('sub_erase1');

    // No store holds the subject's id any more, in any column of any table.
    expect(await cellsHolding(h, 'sub_erase1')).toEqual([]);
    // The other subject is untouched.
    expect((await cellsHolding(h, 'sub_keep1')).length).toBeGreaterThan(3);

    // The models equal models built from the store without the subject (R4: exact unlearning).
    const { live, fresh } = await rebuilt();
    expect(live.holdsSubject('sub_erase1')).toBe(false);
    expect(live.fingerprint()).toBe(fresh.fingerprint());
    expect(live.digest()).toBe(fresh.digest());
    expect(receipt.models.fingerprint_after).toBe(live.digest());
    const events = await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_keep1');
    const rebuiltByHand = buildExactModels([...rt.catalog.values()], toInteractions(events));
    expect(live.digest()).toBe(rebuiltByHand.digest());

    // The receipt carries a proof anyone can check offline with the shop's published key.
    const published = (await h.request(`/s/${h.shop.shopId}/audit/checkpoint`)).body.public_key.base64;
    const check = verifyInclusionProof(receipt.proof, published);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.entry).toMatchObject({
        kind: 'erasure',
        subject: hash,
        data: { erasure: receipt.erasure_id },
      });
    }
  });

  it("R4: erasure deletes the answers kept for the subject's own Idempotency-Key requests, and only theirs", async () => {
    const pk = h.shop.publicKey;
    const subjects: { subject_id: string; token: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const s = (await h.request('/v1/subjects', { key: pk, method: 'POST' })).body;
      await consentTo(h, s.subject_id, 2, key());
      subjects.push(s);
    }
    for (const s of subjects) {
      const r = await h.request('/v1/events', {
        key: pk,
        headers: { 'x-vitrine-subject': s.token, 'idempotency-key': 'k-erase' },
        body: {
          events: [{ type: 'view', subject_id: s.subject_id, session_id: 'ses_idem', item_id: 'vas-1' }],
        },
      });
      expect(r.status).toBe(200);
    }
    const answers = async () =>
      (await h.sql('select scope from idempotency_keys')).map((r) => String(r.scope));
    const before = await answers();
    const gone = subjects[0]!;
    const kept = subjects[1]!;
    const r = await h.request(`/v1/subjects/${gone.subject_id}`, { method: 'DELETE', key: key() });
    expect(r.status).toBe(200);
    expect(r.body.receipt.removed.idempotency_answers).toBe(1);
    const after = await answers();
    expect(after).toHaveLength(before.length - 1);
    // The other subject's answer is still there to replay.
    const replay = await h.request('/v1/events', {
      key: pk,
      headers: { 'x-vitrine-subject': subjects[1]!.token, 'idempotency-key': 'k-erase' },
      body: {
        events: [{ type: 'view', subject_id: kept.subject_id, session_id: 'ses_idem', item_id: 'vas-1' }],
      },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('R4: asked again, it answers with the same receipt (idempotent); a subject who came back is erased anew', async () => {
    const first = await h.request('/v1/subjects/sub_erase1', { method: 'DELETE', key: key() });
    expect(first.status).toBe(200);
    const again = await h.request('/v1/subjects/sub_erase1', { method: 'DELETE', key: key() });
    expect(again.body).toEqual(first.body);

    await consentTo(h, 'sub_erase1', 2);
    await h.request('/v1/events', {
      key: key(),
      body: {
        events: [{ type: 'view', subject_id: 'sub_erase1', session_id: 'ses_back', item_id: 'vas-1' }],
      },
    });
    const anew = await h.request('/v1/subjects/sub_erase1', { method: 'DELETE', key: key() });
    expect(anew.status).toBe(200);
    expect(anew.body.erasure_id).not.toBe(first.body.erasure_id);
    expect(anew.body.receipt.removed.events).toBe(1);
    expect(await cellsHolding(h, 'sub_erase1')).toEqual([]);
    // Both sets of consent records stay as proof, under the hashed id.
    const hashed = await h.vitrine.store.consent.listRecords(
      h.shop.shopId,
      hashSubject(h.shop.shopId, 'sub_erase1'),
    );
    expect(hashed.length).toBeGreaterThanOrEqual(3);
  });

  it('R4: a step that fails midway leaves the erasure pending, never done; start-up completes it', async () => {
    await richSubject('sub_crash1');
    erasureHooks.beforeStep = (step) => {
      if (step === 'models') throw new Error('the process stopped');
    };
    const r = await h.request('/v1/subjects/sub_crash1', { method: 'DELETE', key: key() });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'pending' });
    expect(r.body.receipt).toBeUndefined();
    // The store step committed, the models still hold the subject: not reported done.
    const rt = await h.vitrine.shop(h.shop.shopId);
    expect(rt.models.holdsSubject('sub_crash1')).toBe(true);
    const pending = await h.vitrine.store.erasures.listPending();
    expect(pending.map((e) => e.id)).toEqual([r.body.erasure_id]);
    expect(pending[0]!.lastError).toMatch(/the process stopped/);

    // A new process on the same store: the erasure resumes at start-up and completes.
    erasureHooks.beforeStep = () => {};
    const restarted = h.restart();
    expect(await restarted.resumeErasures()).toBe(1);
    expect(await h.vitrine.store.erasures.listPending()).toEqual([]);
    const done = await h.vitrine.store.erasures.get(h.shop.shopId, r.body.erasure_id);
    expect(done).toMatchObject({ status: 'completed', subjectId: null });
    expect(JSON.parse(done!.receipt!).removed.events).toBe(6);
    expect((await restarted.shop(h.shop.shopId)).models.holdsSubject('sub_crash1')).toBe(false);
    // The old process's models still held the subject; asking again there finishes the job there too.
    const again = await h.request('/v1/subjects/sub_crash1', { method: 'DELETE', key: key() });
    expect(again.status).toBe(200);
    expect(rt.models.holdsSubject('sub_crash1')).toBe(false);
    expect(await cellsHolding(h, 'sub_crash1')).toEqual([]);
  });

  it('R4: a failure before anything was deleted keeps every row; asking again completes the erasure', async () => {
    await richSubject('sub_crash2');
    erasureHooks.beforeStep = (step) => {
      if (step === 'store') throw new Error('the database is unavailable');
    };
    const r = await h.request('/v1/subjects/sub_crash2', { method: 'DELETE', key: key() });
    expect(r.status).toBe(202);
    expect((await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_crash2')).length).toBe(6);
    erasureHooks.beforeStep = () => {};
    const again = await h.request('/v1/subjects/sub_crash2', { method: 'DELETE', key: key() });
    expect(again.status).toBe(200);
    expect(again.body.erasure_id).toBe(r.body.erasure_id);
    expect(again.body.receipt.removed.events).toBe(6);
    expect(await cellsHolding(h, 'sub_crash2')).toEqual([]);
  });

  it('R4: the check before done catches data written meanwhile (a late batch) and takes it too', async () => {
    await consentTo(h, 'sub_late', 2);
    await h.request('/v1/events', {
      key: key(),
      body: { events: [{ type: 'view', subject_id: 'sub_late', session_id: 'ses_l', item_id: 'vas-1' }] },
    });
    let once = false;
    erasureHooks.beforeStep = async (step) => {
      if (step !== 'verify' || once) return;
      once = true;
      // An ingest batch that read the consent before the erasure commits after it.
      await h.vitrine.store.events.insert(
        [
          {
            shopId: h.shop.shopId,
            id: 'evt_late0001',
            subjectId: 'sub_late',
            sessionId: 'ses_l',
            type: 'view',
            category: 'browsing',
            itemId: 'ker-1',
            quantity: null,
            price: null,
            orderId: null,
            data: null,
            ts: h.clock.now,
            expiresAt: h.clock.now + 1000,
            sessionScoped: false,
          },
        ],
        [{ shopId: h.shop.shopId, id: 'ses_l', subjectId: 'sub_late', lastSeen: h.clock.now }],
      );
    };
    const r = await h.request('/v1/subjects/sub_late', { method: 'DELETE', key: key() });
    expect(r.status).toBe(200);
    expect(await h.vitrine.store.events.listForSubject(h.shop.shopId, 'sub_late')).toEqual([]);
    expect(await cellsHolding(h, 'sub_late')).toEqual([]);
  });

  it('R4: the public key erases its own subject only; bad ids are refused and change nothing', async () => {
    const { subject_id, token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey }))
      .body;
    await consentTo(h, subject_id, 2);
    const other = await h.request('/v1/subjects/sub_keep1', {
      method: 'DELETE',
      key: h.shop.publicKey,
      headers: { 'x-vitrine-subject': token },
    });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    expect(await h.vitrine.store.subjects.get(h.shop.shopId, 'sub_keep1')).toBeDefined();
    const own = await h.request(`/v1/subjects/${subject_id}`, {
      method: 'DELETE',
      key: h.shop.publicKey,
      headers: { 'x-vitrine-subject': token },
    });
    expect(own.status).toBe(200);
    expect(own.body.receipt.removed.consent_state).toBe(1);
    const bad = await h.request('/v1/subjects/not-a-subject', { method: 'DELETE', key: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('subject_id');
    // Another shop's key cannot reach this shop's subject: it is another shop's (empty) subject there.
    await h.request('/v1/subjects/sub_keep1', { method: 'DELETE', key: h.other.secretKey });
    expect(await h.vitrine.store.subjects.get(h.shop.shopId, 'sub_keep1')).toBeDefined();
  });
});
