import { hashSubject } from '@vitrine/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTED_TABLES } from '../../apps/server/src/flows/export';
import { consentTo, drivers, type Harness, openHarness } from './harness';

/** Columns that name a subject, by their name: a new table with one must be in the export. */
const SUBJECT_COLUMN = /^(subject|subject_id|subject_hash)$/;

async function schema(h: Harness): Promise<Map<string, string[]>> {
  const rows =
    h.driver === 'sqlite'
      ? await h.sql(
          "select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'",
        )
      : await h.sql(
          'select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()',
        );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(String(r.t), [...(out.get(String(r.t)) ?? []), String(r.c)]);
  return out;
}

describe.each(drivers())('export (%s)', (driver) => {
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
        ],
      },
    });
    // An earlier life of the same id, erased: its receipt and the proofs kept under the hash are
    // data about the subject too.
    await consentTo(h, 'sub_full', 1);
    expect((await h.request('/v1/subjects/sub_full', { method: 'DELETE', key: key() })).status).toBe(200);
    // A subject with a row in every table that has a subject column.
    await consentTo(h, 'sub_full', 3);
    const day = 86_400_000;
    await h.request('/v1/events', {
      key: key(),
      body: {
        events: [0, 1, 2].flatMap((k) => [
          {
            type: 'view',
            subject_id: 'sub_full',
            session_id: `ses_${k}`,
            item_id: 'vas-1',
            ts: new Date(h.clock.now - k * 20 * day).toISOString(),
          },
          {
            type: 'purchase',
            subject_id: 'sub_full',
            session_id: `ses_${k}`,
            order_id: `o-${k}`,
            ts: new Date(h.clock.now - k * 20 * day + 1000).toISOString(),
            lines: [{ item_id: 'ker-1', quantity: 1, price: 9.95 }],
          },
        ]),
      },
    });
    await h.request('/v1/subjects/sub_full/identity', {
      method: 'PUT',
      key: key(),
      body: { email: 'full@example.org', address: 'Musterweg 1, 10115 Berlin' },
    });
    await h.request('/v1/subjects/sub_full/exclusions', { key: key(), body: { category: 'Wohnen > Vasen' } });
    await h.request('/v1/subjects/sub_full/objection', {
      method: 'PUT',
      key: key(),
      body: { direct_marketing: true, profiling: false },
    });
  });
  afterAll(() => h.close());

  it('R2: a test walks the schema: every table with a subject column is covered by the export', async () => {
    const tables = await schema(h);
    const withSubject = [...tables]
      .filter(([t, cols]) => t === 'subjects' || cols.some((c) => SUBJECT_COLUMN.test(c)))
      .map(([t]) => t)
      .sort();
    expect(withSubject).toEqual(Object.keys(EXPORTED_TABLES).sort());
    for (const [table, column] of Object.entries(EXPORTED_TABLES)) {
      expect(tables.get(table), `${table}.${column}`).toContain(column);
    }
  });

  it('R2: the export holds every row every table holds about the subject, under its id or its hash', async () => {
    const r = await h.request('/v1/subjects/sub_full/export', { key: key() });
    expect(r.status).toBe(200);
    const hash = hashSubject(h.shop.shopId, 'sub_full');
    for (const [table, column] of Object.entries(EXPORTED_TABLES)) {
      const [row] = await h.sql(
        `select count(*) as n from ${table} where shop_id = ? and ${column} in (?, ?)`,
        [h.shop.shopId, 'sub_full', hash],
      );
      // The export is a request itself, registered and logged once it is answered (with the
      // secret key the read is logged too): those rows came after the export was read.
      const n = Number(row!.n);
      const listed = r.body.tables[table];
      expect(listed, table).toBe(table === 'audit_entries' ? n - 2 : table === 'rights_requests' ? n - 1 : n);
      expect(n, `the fixture has a row in ${table}`).toBeGreaterThan(0);
      const points = r.body.data.filter((p: { store: string }) => p.store === table);
      expect(points.length, `data points of ${table}`).toBe(listed);
    }
    // What memory holds: the subject's share of the shared models.
    expect(r.body.memory.shared_models).toMatchObject({ sessions: 3, interactions: 6 });
    expect(r.body.data.some((p: { store: string }) => p.store === 'shared_models')).toBe(true);
  });

  it('R2: every data point says its category, source, purposes, legal basis, retention and expiry', async () => {
    const r = await h.request('/v1/subjects/sub_full/export?lang=en', { key: key() });
    for (const p of r.body.data) {
      expect(typeof p.category, JSON.stringify(p)).toBe('string');
      expect(p.category_label.length).toBeGreaterThan(0);
      expect(['provided', 'observed', 'derived', 'inferred']).toContain(p.source);
      expect(p.purposes.length, p.store).toBeGreaterThan(0);
      expect(p.legal_basis.length, p.store).toBeGreaterThan(0);
      expect(p.retention.length).toBeGreaterThan(0);
      expect('expires_at' in p).toBe(true);
    }
    const view = r.body.data.find((p: any) => p.store === 'events' && p.value.type === 'view');
    expect(view).toMatchObject({
      category: 'browsing',
      category_label: 'Items viewed',
      source: 'observed',
      retention: 'P12M',
    });
    expect(view.purposes).toEqual(expect.arrayContaining(['history_personalization', 'aggregate_models']));
    expect(view.legal_basis[0]).toMatch(/^consent – Art\. 6\(1\)\(a\) GDPR/);
    // P12M on the calendar: the view of today expires on the same day next year.
    const today = r.body.data.find((p: any) => p.store === 'events' && p.time === '2026-11-23T10:00:00.000Z');
    expect(today.expires_at).toBe('2027-11-23T10:00:00.000Z');
    const record = r.body.data.find((p: any) => p.store === 'consent_records');
    expect(record.value.notice_text).toMatch(/Personalisierung/);
    expect(record.value.record.notice.text_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.legal_basis[0]).toMatch(/Art\. 7\(1\)/);
    const identity = r.body.data.filter((p: any) => p.store === 'identity_fields').map((p: any) => p.value);
    expect(identity).toEqual([
      { field: 'address', value: 'Musterweg 1, 10115 Berlin' },
      { field: 'email', value: 'full@example.org' },
    ]);
    // Level 3: the predictions computed now, with their inputs (inferred data).
    const predictions = r.body.data.filter((p: any) => p.category === 'predictions');
    expect(predictions.length).toBeGreaterThan(0);
    expect(predictions[0]).toMatchObject({ source: 'inferred', purposes: ['predictions'] });
    expect(predictions[0].value.inputs.length).toBeGreaterThan(0);
    expect(r.body.controller.name).toBe('Beispiel Wohnen & Schenken GmbH');
    expect(r.body.recipients.map((x: { id: string }) => x.id)).toContain('hosting');
    expect(r.body.logic).toMatch(/Level 3 adds predictions/);
  });

  it('R5: the same data points as CSV, one row each, quoted per RFC 4180', async () => {
    const json = (await h.request('/v1/subjects/sub_full/export', { key: key() })).body;
    const res = await h.app.request('/v1/subjects/sub_full/export?format=csv', {
      headers: { authorization: `Bearer ${key()}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="sub_full.csv"/);
    const csv = await res.text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'store,id,time,category,category_label,source,purposes,legal_basis,retention,expires_at,value',
    );
    // Rows whose JSON holds line breaks would span lines; the notice text is one such value.
    const starts = lines.filter((l) =>
      /^(events|sessions|subjects|consent_records|shared_models|predictions|identity|exclusions|objections|rights_requests|audit_entries|erasures)/.test(
        l,
      ),
    );
    expect(starts.length).toBeGreaterThanOrEqual(json.data.length - 1);
    expect(csv).toContain('"{""type"":""view""');
  });

  it('R2: the public key exports its own subject only; with the secret key the read is in the audit log', async () => {
    const { subject_id, token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey }))
      .body;
    await consentTo(h, subject_id, 1);
    const asBrowser = { key: h.shop.publicKey, headers: { 'x-vitrine-subject': token } };
    const own = await h.request(`/v1/subjects/${subject_id}/export`, asBrowser);
    expect(own.status).toBe(200);
    expect(own.body.subject_id).toBe(subject_id);
    const other = await h.request('/v1/subjects/sub_full/export', asBrowser);
    expect(other.status).toBe(403);
    expect(other.body.error.field).toBe('subject_id');
    const noToken = await h.request(`/v1/subjects/${subject_id}/export`, { key: h.shop.publicKey });
    expect(noToken.status).toBe(401);

    const size = await h.vitrine.store.audit.size(h.shop.shopId);
    await h.request('/v1/subjects/sub_full/export', { key: key() });
    const added = await h.vitrine.store.audit.read(h.shop.shopId, size, size + 10);
    expect(added.map((e) => e.kind)).toEqual(['export_read', 'rights_request']);
    expect(added[1]!.data).toMatchObject({ kind: 'export', proof: 'secret_key' });
    expect(added.every((e) => e.subject === hashSubject(h.shop.shopId, 'sub_full'))).toBe(true);
    // A browser reading its own data is not an admin access: no export_read entry.
    const size2 = await h.vitrine.store.audit.size(h.shop.shopId);
    await h.request(`/v1/subjects/${subject_id}/export`, asBrowser);
    const added2 = await h.vitrine.store.audit.read(h.shop.shopId, size2, size2 + 10);
    expect(added2.map((e) => e.kind)).toEqual(['rights_request']);
    expect(added2[0]!.data).toMatchObject({ kind: 'export', proof: 'subject_token' });
  });

  it('R2: a bad format is refused with its field; a subject never seen exports nothing', async () => {
    const before = await h.vitrine.store.rightsRequests.list(h.shop.shopId);
    const bad = await h.request('/v1/subjects/sub_full/export?format=xml', { key: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('format');
    expect(await h.vitrine.store.rightsRequests.list(h.shop.shopId)).toEqual(before);
    const none = await h.request('/v1/subjects/sub_nobody/export', { key: key() });
    expect(none.status).toBe(200);
    expect(none.body.data).toEqual([]);
    expect(none.body.tables.events).toBe(0);
  });
});
