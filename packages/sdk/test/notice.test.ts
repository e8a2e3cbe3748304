import { loadDefaultPolicy, noticeDialog, noticeText, parsePolicy } from '@vitrine/policy';
import { describe, expect, it } from 'vitest';
import { NOTICE_WORDS } from '../src/messages';
import { levelFacts, noticeFrom, parseNoticeText } from '../src/notice';

const withoutIds = (d: ReturnType<typeof noticeDialog>) => ({
  ...d,
  purposes: d.purposes.map((p) => ({ ...p, id: null })),
  categories: {},
});

function variantPolicy() {
  const json = JSON.parse(JSON.stringify(loadDefaultPolicy()));
  // A label with a comma, a third-country recipient and no reward anywhere.
  json.purposes.aggregate_models.label = { de: 'Listen, für alle', en: 'Lists, for everyone' };
  json.recipients.hosting.country = 'US';
  for (const l of json.levels) delete l.reward;
  return parsePolicy(json, 'variant');
}

describe('notice text → dialog', () => {
  for (const lang of ['de', 'en'] as const) {
    it(`C7/C10: reading the hashed notice text (${lang}) gives the policy's dialog, minus purpose ids`, () => {
      for (const policy of [loadDefaultPolicy(), variantPolicy()]) {
        const parsed = parseNoticeText(noticeText(policy, lang), lang);
        expect(parsed).toEqual(withoutIds(noticeDialog(policy, lang)));
      }
    });
  }

  it("the SDK's notice words equal the policy package's wording", () => {
    for (const lang of ['de', 'en'] as const) {
      const text = noticeText(loadDefaultPolicy(), lang);
      for (const word of Object.values(NOTICE_WORDS[lang])) expect(text).toContain(word);
    }
  });

  it('uses the structured dialog when the server sends one (ids for per-purpose switches, C5)', () => {
    const policy = loadDefaultPolicy();
    const dialog = noticeDialog(policy, 'en');
    const n = noticeFrom({ notice_id: 'n', version: 3, language: 'en', text: '', text_hash: 'h', dialog });
    expect(n.version).toBe(3);
    expect(n.dialog.purposes.find((p) => p.switch)?.id).toBe('email_offers');
  });

  it('C7: per level, what it uses and how long it is kept', () => {
    const d = parseNoticeText(noticeText(loadDefaultPolicy(), 'de'), 'de');
    expect(levelFacts(d, 0)).toEqual({ uses: [], kept: [] });
    expect(levelFacts(d, 1).uses).toEqual([
      'Angesehene Artikel',
      'Suchbegriffe',
      'Warenkorb',
      'Gerät und grobe Region',
    ]);
    expect(levelFacts(d, 1).kept).toEqual(['bis Ihr Besuch endet (nach 30 Minuten ohne Aktivität)']);
    expect(levelFacts(d, 3).uses).toContain('Vorhersagen über Sie');
    expect(levelFacts(d, 3).kept).toEqual(expect.arrayContaining(['12 Monate', '6 Monate']));
  });
});
