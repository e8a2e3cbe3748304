import {
  hashSubject,
  importPublicKey,
  openCheckpoint,
  verifyInclusionProof,
  verifyLog,
} from '@vitrine/audit';
import { loadDefaultPolicy } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('audit log (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const log = async () => {
    const size = await h.vitrine.store.audit.size(h.shop.shopId);
    return h.vitrine.store.audit.read(h.shop.shopId, 0, size);
  };
  const published = async () => (await h.request(`/s/${h.shop.shopId}/audit/checkpoint`)).body;

  beforeAll(async () => {
    h = await openHarness(driver, { identity: true });
    await h.request('/v1/items', { key: key(), body: { items: [{ id: 'tea', title: 'Tee', price: 5 }] } });
    await consentTo(h, 'sub_logged', 2);
    await consentTo(h, 'sub_logged', 3);
    await h.request('/v1/events', {
      key: key(),
      body: { events: [{ type: 'view', subject_id: 'sub_logged', session_id: 's', item_id: 'tea' }] },
    });
    await h.request('/v1/subjects/sub_logged/export', { key: key() });
    await h.request('/v1/subjects/sub_logged/identity', {
      method: 'PUT',
      key: key(),
      body: { email: 'logged@example.org', name: 'Lotte Logged' },
    });
    await h.request('/v1/subjects/sub_logged/identity', { key: key() });
    await consentTo(h, 'sub_gone', 1);
    await h.request('/v1/subjects/sub_gone', { method: 'DELETE', key: key() });
    await h.request('/v1/models/rebuild', { method: 'POST', key: key() });
    await h.vitrine.idle();
    const policy = loadDefaultPolicy();
    policy.purposes.predictions!.description.de = 'Neu formuliert.';
    await h.vitrine.updatePolicy(h.shop.shopId, policy);
    await h.vitrine.idle();
  });
  afterAll(() => h.close());

  it('D5: consent changes, rights requests, erasures, exports and admin reads, policy changes and model rebuilds are logged', async () => {
    const kinds = new Set((await log()).map((e) => e.kind));
    for (const kind of [
      'consent_change',
      'rights_request',
      'erasure',
      'export_read',
      'admin_access',
      'policy_change',
      'model_rebuild',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const entries = await log();
    const changes = entries.filter(
      (e) => e.kind === 'consent_change' && e.subject === hashSubject(h.shop.shopId, 'sub_logged'),
    );
    expect(changes.map((e) => e.data.level)).toEqual([2, 3]);
    const rebuilds = entries.filter((e) => e.kind === 'model_rebuild').map((e) => e.data.reason);
    expect(rebuilds).toEqual(expect.arrayContaining(['start', 'rebuild']));
    expect(entries.filter((e) => e.kind === 'policy_change').map((e) => e.data.notice_version)).toEqual([
      1, 2,
    ]);
  });

  it('D5: the log holds pseudonymous ids only: no subject id, e-mail or name in any entry', async () => {
    const text = JSON.stringify(await log());
    expect(text).not.toMatch(/sub_[a-z]/);
    expect(text).not.toContain('logged@example.org');
    expect(text).not.toContain('Lotte');
    for (const e of await log())
      expect(e.subject === null || /^sha256:[0-9a-f]{64}$/.test(e.subject)).toBe(true);
    const raw = await h.sql('select subject, data from audit_entries');
    expect(JSON.stringify(raw)).not.toMatch(/sub_[a-z]/);
  });

  it('D5: the published checkpoint is signed by the published key and covers the whole log, which verifies', async () => {
    const cp = await published();
    expect(cp.shop_id).toBe(h.shop.shopId);
    const key = importPublicKey(cp.public_key.base64);
    const opened = openCheckpoint(cp.checkpoint, key);
    expect(opened.ok).toBe(true);
    const entries = await log();
    expect(cp.size).toBe(entries.length);
    const checkpoints = await h.vitrine.store.audit.checkpoints(h.shop.shopId);
    expect(verifyLog(entries, checkpoints, key, { shopId: h.shop.shopId })).toMatchObject({
      ok: true,
      entries: entries.length,
      unanchored: 0,
    });
    // Every form of the key names the same key.
    expect(importPublicKey(cp.public_key.pem).equals(key)).toBe(true);
    expect(importPublicKey(cp.public_key.verifier_key).equals(key)).toBe(true);
  });

  it('D5: every consent record has an inclusion proof that checks offline against the published key', async () => {
    const { records } = (await h.request('/v1/subjects/sub_logged/consent/records', { key: key() })).body;
    expect(records.length).toBe(2);
    const pub = (await published()).public_key.base64;
    for (const { record } of records) {
      const r = await h.request(`/v1/subjects/sub_logged/consent/records/${record.id}/proof`, { key: key() });
      expect(r.status).toBe(200);
      const check = verifyInclusionProof(r.body.proof, pub);
      expect(check.ok).toBe(true);
      if (!check.ok) continue;
      expect(check.entry).toMatchObject({
        kind: 'consent_change',
        subject: hashSubject(h.shop.shopId, 'sub_logged'),
        data: { record: record.id, level: record.level, notice: { text_hash: record.notice.text_hash } },
      });
      expect(r.body.subject_hash).toBe(hashSubject(h.shop.shopId, 'sub_logged'));
    }
    // A proof whose entry was altered does not check.
    const r = await h.request(`/v1/subjects/sub_logged/consent/records/${records[0].record.id}/proof`, {
      key: key(),
    });
    const forged = { ...r.body.proof, leaf: r.body.proof.leaf.replace('"level":2', '"level":3') };
    expect(verifyInclusionProof(forged, pub).ok).toBe(false);
  });

  it('D5: proofs are for the subject itself: unknown records 404, another subject 403, bad ids 400', async () => {
    const unknown = await h.request('/v1/subjects/sub_logged/consent/records/cns_nothere/proof', {
      key: key(),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.field).toBe('record_id');
    const bad = await h.request('/v1/subjects/sub_logged/consent/records/nope/proof', { key: key() });
    expect(bad.status).toBe(400);
    const { token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey })).body;
    const { records } = (await h.request('/v1/subjects/sub_logged/consent/records', { key: key() })).body;
    const other = await h.request(`/v1/subjects/sub_logged/consent/records/${records[0].record.id}/proof`, {
      key: h.shop.publicKey,
      headers: { 'x-vitrine-subject': token },
    });
    expect(other.status).toBe(403);
  });

  it('D5: the checkpoint route is public, per shop, and 404 for a shop that does not exist', async () => {
    const other = (await h.request(`/s/${h.other.shopId}/audit/checkpoint`)).body;
    expect(other.public_key.base64).not.toBe((await published()).public_key.base64);
    expect((await h.request('/s/shop_nope/audit/checkpoint')).status).toBe(404);
  });
});
