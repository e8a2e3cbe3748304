import { importPublicKey, openCheckpoint } from '@vitrine/audit';
import { escapeHtml, type Measures, recordOfProcessing } from '@vitrine/policy';
import { createApp } from '@vitrine/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORDING } from '../../packages/policy/src/texts';
import { consentTo, drivers, type Harness, openHarness } from './harness';

type Lang = 'de' | 'en';

/**
 * Only true statements (issue 12): every sentence of the generated notice and record of
 * processing that states a measure, the measure it depends on, and a probe that shows the
 * feature behind it working through the API. A sentence is in the documents exactly when its
 * measure is on, and its measure is on only when the probe passes.
 */
interface Sentence {
  doc: 'notice' | 'ropa';
  text: (lang: Lang, h: Harness) => string;
  measure: keyof Measures;
  probe: (h: Harness) => Promise<void>;
}

const SENTENCES: Record<string, Sentence> = {
  'ropa: name, e-mail and address encrypted per person': {
    doc: 'ropa',
    text: (l) => WORDING[l].ropaToms.identityEncryption,
    measure: 'identityEncryption',
    async probe(h) {
      const r = await h.request('/v1/subjects/sub_truth/identity', {
        method: 'PUT',
        key: h.shop.secretKey,
        body: { email: 'truth@example.org' },
      });
      expect(r.status).toBe(200);
      expect(JSON.stringify(await h.sql('select * from identity_fields'))).not.toContain('truth@example.org');
    },
  },
  'ropa: tamper-evident log with signed checkpoints': {
    doc: 'ropa',
    text: (l) => WORDING[l].ropaToms.auditLog,
    measure: 'auditLog',
    async probe(h) {
      await consentTo(h, 'sub_truth_log', 1);
      const cp = (await h.request(`/s/${h.shop.shopId}/audit/checkpoint`)).body;
      expect(openCheckpoint(cp.checkpoint, importPublicKey(cp.public_key.base64)).ok).toBe(true);
      const entries = await h.vitrine.store.audit.read(h.shop.shopId, 0, cp.size);
      expect(entries.some((e) => e.kind === 'consent_change')).toBe(true);
    },
  },
  'ropa: erasure reaches caches and aggregate models': {
    doc: 'ropa',
    text: (l) => WORDING[l].ropaToms.exactErasure,
    measure: 'exactErasure',
    async probe(h) {
      await consentTo(h, 'sub_truth_erase', 2);
      await h.request('/v1/events', {
        key: h.shop.secretKey,
        body: { events: [{ type: 'view', subject_id: 'sub_truth_erase', session_id: 's', item_id: 'tea' }] },
      });
      const rt = await h.vitrine.shop(h.shop.shopId);
      expect(rt.models.holdsSubject('sub_truth_erase')).toBe(true);
      expect(
        (await h.request('/v1/subjects/sub_truth_erase', { method: 'DELETE', key: h.shop.secretKey })).status,
      ).toBe(200);
      expect(rt.models.holdsSubject('sub_truth_erase')).toBe(false);
    },
  },
  'ropa: deleted automatically when retention ends': {
    doc: 'ropa',
    text: (l) => WORDING[l].ropaToms.automaticDeletion,
    measure: 'automaticDeletion',
    async probe(h) {
      expect(await h.vitrine.runRetention()).toBeDefined();
    },
  },
  'notice: JSON or CSV copy (Art. 20)': {
    doc: 'notice',
    text: (l) => WORDING[l].rights.portabilityFormats,
    measure: 'portability',
    async probe(h) {
      for (const format of ['json', 'csv']) {
        const r = await h.app.request(`/v1/subjects/sub_truth/export?format=${format}`, {
          headers: { authorization: `Bearer ${h.shop.secretKey}` },
        });
        expect(r.status).toBe(200);
      }
    },
  },
  'notice: removing inferred interests (Art. 16)': {
    doc: 'notice',
    text: (l) => WORDING[l].rights.removeInterests,
    measure: 'removeInterests',
    async probe(h) {
      const r = await h.request('/v1/subjects/sub_truth/exclusions', {
        key: h.shop.secretKey,
        body: { item_id: 'tea' },
      });
      expect(r.status).toBe(201);
    },
  },
  'notice: rights through the privacy center': {
    doc: 'notice',
    text: (l, h) => WORDING[l].rightsHowCenter(`/s/${h.shop.shopId}/privacy-center`),
    measure: 'privacyCenter',
    async probe(h) {
      expect((await h.app.request(`/s/${h.shop.shopId}/privacy-center`)).status).toBe(200);
    },
  },
};

const documents = async (
  app: { request: (p: string) => Response | Promise<Response> },
  shopId: string,
  lang: Lang,
) => ({
  notice: await (await app.request(`/s/${shopId}/privacy?lang=${lang}`)).text(),
  ropa: await (await app.request(`/s/${shopId}/record-of-processing.html?lang=${lang}`)).text(),
});

describe.each(drivers())('only true statements in the generated documents (%s)', (driver) => {
  let on: Harness;
  let off: Harness;
  beforeAll(async () => {
    on = await openHarness(driver, { identity: true });
    off = await openHarness(driver);
    for (const h of [on, off]) {
      await h.request('/v1/items', {
        key: h.shop.secretKey,
        body: { items: [{ id: 'tea', title: 'Tee', price: 5 }] },
      });
    }
    on.vitrine.startRetention(3_600_000);
  });
  afterAll(async () => {
    await on.close();
    await off.close();
  });

  it('every sentence that states a measure is mapped to one; no measure is left without its sentence', () => {
    const mapped = new Set(Object.values(SENTENCES).map((s) => s.measure));
    for (const m of [
      'identityEncryption',
      'auditLog',
      'exactErasure',
      'automaticDeletion',
      'portability',
      'removeInterests',
      'privacyCenter',
    ]) {
      expect(mapped, m).toContain(m);
    }
  });

  it('the running service states a measure exactly when its feature works (identity, retention and privacy center on and off)', async () => {
    // A service with the customer pages (the default) serves the privacy center.
    const withCenter = createApp(on.vitrine);
    const onApp = { ...on, app: withCenter } as Harness;
    for (const [name, s] of Object.entries(SENTENCES)) {
      await s.probe(onApp);
      for (const lang of ['de', 'en'] as const) {
        const docs = await documents(withCenter, on.shop.shopId, lang);
        expect(docs[s.doc], `${name} (${lang}) is stated when on`).toContain(escapeHtml(s.text(lang, on)));
      }
    }
    // Off: no master key, no retention timer, no privacy center (an API-only service without the
    // customer pages): those sentences are not there.
    off.app = createApp(off.vitrine, { customerPages: false });
    const offDocs = await documents(off.app, off.shop.shopId, 'de');
    for (const name of [
      'ropa: name, e-mail and address encrypted per person',
      'ropa: deleted automatically when retention ends',
      'notice: rights through the privacy center',
    ]) {
      const s = SENTENCES[name]!;
      expect(offDocs[s.doc], `${name} is not stated when off`).not.toContain(escapeHtml(s.text('de', off)));
    }
    // And the feature is really off there.
    const identity = await off.request('/v1/subjects/sub_x/identity', { key: off.shop.secretKey });
    expect(identity.status).toBe(409);
    expect((await off.app.request(`/s/${off.shop.shopId}/privacy-center`)).status).toBe(404);
    // Without a privacy center, the notice says where to write instead: the controller's address.
    expect(offDocs.notice).toContain(
      escapeHtml(WORDING.de.rightsHowContact('datenschutz@beispiel-wohnen.example')),
    );
    expect(offDocs.notice).not.toContain('Datenschutz-Center');
  });

  it('R7: the notice promises no human review of prediction-based offers (no such route is built)', async () => {
    for (const lang of ['de', 'en'] as const) {
      const notice = JSON.stringify((await on.request(`/s/${on.shop.shopId}/privacy?lang=${lang}`)).body);
      expect(notice).toMatch(/Art\. 22/);
      expect(notice).not.toMatch(/prüft auf Wunsch ein Mensch|person reviews/);
    }
  });

  it('the record of processing (JSON) lists its measures with ids, and the unbuilt TLS claim is gone', async () => {
    const ropa = (await on.request(`/s/${on.shop.shopId}/record-of-processing.json`)).body;
    expect(ropa.technical_and_organisational_measures.map((m: { id: string }) => m.id)).toEqual([
      'pseudonymous',
      'identityEncryption',
      'consentChecked',
      'automaticDeletion',
      'exactErasure',
      'auditLog',
      'keys',
    ]);
    const offRopa = (await off.request(`/s/${off.shop.shopId}/record-of-processing.json`)).body;
    expect(offRopa.technical_and_organisational_measures.map((m: { id: string }) => m.id)).not.toContain(
      'identityEncryption',
    );
    expect(JSON.stringify(ropa)).not.toMatch(/TLS/);
    // With nothing known, a caller of the pure function gets only the measures true by design.
    const bare = recordOfProcessing(on.vitrine.defaultPolicy);
    expect(bare.technical_and_organisational_measures.map((m) => m.id)).toEqual([
      'pseudonymous',
      'consentChecked',
      'keys',
    ]);
  });
});
