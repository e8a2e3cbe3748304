import { describe, expect, it } from 'vitest';
import {
  CODE_PURPOSES,
  escapeHtml,
  isPolicyError,
  loadDefaultPolicy,
  type Measures,
  NO_MEASURES,
  noticeText,
  parsePolicy,
  recordOfProcessing,
  renderNotice,
  renderRecordOfProcessing,
  TOM_MEASURES,
} from '../src/index';
import { at, defaultJson, textPaths } from './fixtures';

const LANGS = ['de', 'en'] as const;

describe('generated documents', () => {
  it('T1: every text of the policy is present and non-empty in German and English', () => {
    const json = defaultJson();
    const paths = textPaths(json);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      for (const lang of LANGS) {
        const text = at(json, `${path}.${lang}`);
        expect(typeof text === 'string' && text.trim().length > 0, `${path}.${lang}`).toBe(true);
      }
    }
  });

  it('T1: removing any single text in either language is rejected, naming where', () => {
    for (const path of textPaths(defaultJson())) {
      for (const lang of LANGS) {
        const json = defaultJson();
        delete (at(json, path) as Record<string, string>)[lang];
        let thrown: unknown;
        try {
          parsePolicy(json, 'shop.json');
        } catch (e) {
          thrown = e;
        }
        expect(isPolicyError(thrown), `${path}.${lang}`).toBe(true);
        expect((thrown as { path: string }).path).toBe(`${path}.${lang}`);
      }
    }
  });

  it('T2: every purpose used in code appears in the dialog text, the notice and the Art. 30 record', () => {
    const policy = loadDefaultPolicy();
    const ropa = recordOfProcessing(policy);
    for (const id of CODE_PURPOSES) {
      const purpose = policy.purposes[id]!;
      expect(ropa.activities.map((a) => a.purpose_id)).toContain(id);
      for (const lang of LANGS) {
        expect(noticeText(policy, lang)).toContain(purpose.label[lang]);
        expect(noticeText(policy, lang)).toContain(purpose.description[lang]);
        expect(renderNotice(policy, lang)).toContain(escapeHtml(purpose.label[lang]));
        expect(renderRecordOfProcessing(policy, lang)).toContain(escapeHtml(purpose.label[lang]));
      }
    }
  });

  it('C7: the dialog text names controller, purposes, data, recipients, retention, withdrawal and profiling', () => {
    const policy = loadDefaultPolicy();
    const de = noticeText(policy, 'de');
    expect(de).toContain(policy.controller.name);
    expect(de).toContain(
      'Verwendete Daten: Angesehene Artikel, Suchbegriffe, Warenkorb, Gerät und grobe Region',
    );
    expect(de).toContain('Speicherdauer: 12 Monate');
    expect(de).toContain('Beispiel Mailversand GmbH');
    expect(de).toContain('Profiling: ja');
    expect(de).toContain(policy.withdrawal.text.de);
    expect(de).toContain('Global Privacy Control');
  });

  it('the notice covers rights Art. 15–21, complaint, GPC, profiling and proof, in both languages', () => {
    const policy = loadDefaultPolicy();
    for (const [lang, law] of [
      ['de', 'DSGVO'],
      ['en', 'GDPR'],
    ] as const) {
      const html = renderNotice(policy, lang);
      for (const article of [15, 16, 17, 18, 20, 21, 22, 77]) expect(html).toContain(`Art. ${article}`);
      expect(html).toContain(law);
      expect(html).toContain('Sec-GPC');
      expect(html).toContain(escapeHtml(policy.supervisory_authority!.name[lang]));
      expect(html).toContain(lang === 'de' ? '3 Jahre' : '3 years');
      expect(html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
    }
  });

  it('C8: the notice links the withdrawal path to the privacy center; the frame adds only what the host gives', () => {
    const policy = loadDefaultPolicy();
    const href = 'https://shop.example/datenschutz/personalisierung?a=1&b=2';
    const html = renderNotice(policy, 'de', undefined, {
      withdrawalHref: href,
      frame: { head: '<link rel="stylesheet" href="/x.css">', lead: '<p class="stand">Stand: 1. Mai</p>' },
    });
    expect(html).toContain(`<a href="${escapeHtml(href)}">${policy.withdrawal.path}</a>`);
    expect(html).toContain('<link rel="stylesheet" href="/x.css"></head>');
    expect(html).toMatch(/<h1>[^<]+<\/h1><p class="stand">Stand: 1. Mai<\/p>/);
    // Without options the page is as before: no link, nothing added.
    expect(renderNotice(policy, 'de')).not.toContain('<a href');
    // The hashed dialog text is plain text and does not change.
    expect(noticeText(policy, 'de')).not.toContain('<a');
  });

  it('escapes every text in the HTML documents', () => {
    const json = defaultJson();
    json.controller.name = '<script>alert("x")</script> & Co';
    json.purposes.predictions!.label.de = 'Vorhersagen <img src=x onerror=alert(1)>';
    const policy = parsePolicy(json, 'shop.json');
    for (const html of [renderNotice(policy, 'de'), renderRecordOfProcessing(policy, 'de')]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    }
    expect(renderNotice(policy, 'de')).toContain('Vorhersagen &lt;img src=x onerror=alert(1)&gt;');
  });

  it('D4: each measure sentence depends on its measure alone; without measures none is stated', () => {
    const policy = loadDefaultPolicy();
    const all: Measures = {
      identityEncryption: true,
      auditLog: true,
      exactErasure: true,
      automaticDeletion: true,
      portability: true,
      removeInterests: true,
      privacyCenter: '/datenschutz/center',
    };
    const toms = (m: Measures) =>
      recordOfProcessing(policy, m).technical_and_organisational_measures.map((t) => t.id);
    expect(toms(NO_MEASURES)).toEqual(['pseudonymous', 'consentChecked', 'keys']);
    for (const [tom, measure] of Object.entries(TOM_MEASURES)) {
      expect(toms(all)).toContain(tom);
      if (measure === true) continue;
      expect(toms({ ...all, [measure]: false }), tom).not.toContain(tom);
      expect(toms({ ...all, [measure]: false }).length).toBe(toms(all).length - 1);
    }
    for (const lang of LANGS) {
      const full = renderNotice(policy, lang, all);
      const none = renderNotice(policy, lang, NO_MEASURES);
      expect(full).toMatch(/JSON|CSV/);
      expect(none).not.toMatch(/JSON oder CSV|JSON or CSV/);
      expect(full).toContain('/datenschutz/center');
      expect(none).toContain(policy.controller.email);
      expect(none).not.toMatch(/Datenschutz-Center|privacy center/);
      // The rights themselves (Art. 15–21) are stated either way: they are the law, not a feature.
      for (const article of [15, 16, 17, 18, 20, 21]) expect(none).toContain(`Art. ${article}`);
    }
  });

  it('D4: the Art. 30 record lists per purpose basis, data, recipients, transfers and erasure limits', () => {
    const ropa = recordOfProcessing(loadDefaultPolicy());
    const session = ropa.activities.find((a) => a.purpose_id === 'session_personalization')!;
    expect(session.erasure_time_limits).toEqual({
      browsing: 'session',
      searches: 'session',
      cart: 'session',
      device_context: 'session',
    });
    const history = ropa.activities.find((a) => a.purpose_id === 'history_personalization')!;
    expect(history.erasure_time_limits.purchases).toBe('P12M');
    expect(history.offered_as).toEqual({ switch: false, levels: [2, 3] });
    expect(ropa.activities.find((a) => a.purpose_id === 'email_offers')!.offered_as.switch).toBe(true);
    expect(history.third_country_transfers).toEqual([]);
    expect(ropa.consent_records.erasure_time_limit).toBe('P3Y');
    expect(ropa.technical_and_organisational_measures.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(ropa))).toEqual(ropa);
  });
});
