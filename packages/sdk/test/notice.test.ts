import { loadDefaultPolicy, noticeDialog } from '@vitrine/policy';
import { describe, expect, it } from 'vitest';
import { levelFacts, noticeFrom } from '../src/notice';

describe('notice', () => {
  it('uses the structured dialog the server sends (ids for per-purpose switches, C5)', () => {
    const dialog = noticeDialog(loadDefaultPolicy(), 'en');
    const n = noticeFrom({ notice_id: 'n', version: 3, language: 'en', text: '', text_hash: 'h', dialog });
    expect(n).toMatchObject({ version: 3, language: 'en' });
    expect(n.dialog.purposes.find((p) => p.switch)?.id).toBe('email_offers');
  });

  it('C7: per level, what it uses and how long it is kept', () => {
    const d = noticeDialog(loadDefaultPolicy(), 'de');
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
