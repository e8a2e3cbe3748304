import { describe, expect, it } from 'vitest';
import { loadDefaultPolicy, noticeDialog, noticeText, parsePolicy } from '../src/index';
import { defaultJson } from './fixtures';

/** Every string a dialog built from `d` would show. */
function strings(d: ReturnType<typeof noticeDialog>): string[] {
  return [
    d.title,
    d.intro,
    d.controllerTitle,
    ...d.controller,
    d.levelsTitle,
    ...d.levels.flatMap((l) => [l.heading, l.summary, ...l.purposes, ...(l.reward ? [l.reward] : [])]),
    ...(d.switchesTitle ? [d.switchesTitle] : []),
    d.purposesTitle,
    ...d.purposes.flatMap((p) => [
      p.label,
      p.description,
      ...p.facts.map(([k, v]) => `${k}: ${v}`),
      ...p.notes,
    ]),
    d.withdrawal.title,
    ...d.withdrawal.lines,
    d.gpc.title,
    d.gpc.text,
  ];
}

describe('notice dialog', () => {
  for (const lang of ['de', 'en'] as const) {
    it(`C10: every string of the structured dialog (${lang}) is in the hashed notice text`, () => {
      const policy = loadDefaultPolicy();
      const text = noticeText(policy, lang);
      for (const s of strings(noticeDialog(policy, lang))) expect(text).toContain(s);
    });
  }

  it('C5: names each purpose by id with the levels that bundle it and whether it is a switch', () => {
    const d = noticeDialog(loadDefaultPolicy(), 'de');
    const byId = Object.fromEntries(d.purposes.map((p) => [p.id, p]));
    expect(byId.session_personalization?.levels).toEqual([1, 2, 3]);
    expect(byId.predictions?.levels).toEqual([3]);
    expect(byId.email_offers).toMatchObject({ switch: true, levels: [], profiling: true });
    expect(d.levels[2]?.reward).toContain('5 %');
    expect(d.levels[0]?.purposes).toEqual([]);
    expect(d.categories.browsing).toBe('Angesehene Artikel');
  });

  it('a policy without switches has no switches title', () => {
    const json = defaultJson();
    json.switches = [];
    delete json.purposes.email_offers;
    delete json.purposes.offers_near_me;
    const d = noticeDialog(parsePolicy(json, 'test'), 'en');
    expect(d.switchesTitle).toBeNull();
    expect(d.purposes.every((p) => !p.switch)).toBe(true);
  });
});
