import {
  type Language,
  type NoticeDialog,
  type NoticeDialogLevel,
  type NoticeDialogPurpose,
  own,
} from '@vitrine/contracts';
import { controllerLines, purposeFacts, withdrawalLines } from './notice';
import type { Policy } from './schema';
import { WORDING } from './texts';

export type { NoticeDialog, NoticeDialogLevel, NoticeDialogPurpose };

/**
 * The consent dialog's content as data (the types live in @vitrine/contracts, as `GET /v1/notice`
 * answers them): the same strings as the notice text (`noticeText`), split into the parts a
 * dialog lays out, plus the purpose ids a consent request names.
 */
export function noticeDialog(policy: Policy, lang: Language): NoticeDialog {
  const w = WORDING[lang];
  const label = (id: string) => own(policy.purposes, id)?.label[lang] ?? id;
  const levels = policy.levels.map(
    (l, n): NoticeDialogLevel => ({
      level: n,
      heading: `${w.level} ${n} – ${l.name[lang]}`,
      name: l.name[lang],
      summary: l.summary[lang],
      purposes: l.purposes.map(label),
      reward: l.reward?.[lang] ?? null,
    }),
  );
  const switches = new Set(policy.switches);
  const purposes = Object.entries(policy.purposes).map(([id, p]): NoticeDialogPurpose => {
    const f = purposeFacts(policy, id, lang)!;
    return {
      id,
      label: p.label[lang],
      description: p.description[lang],
      facts: f.rows,
      notes: f.notes,
      data: f.data,
      profiling: p.profiling,
      switch: switches.has(id),
      levels: policy.levels.flatMap((l, n) => (l.purposes.includes(id) ? [n] : [])),
    };
  });
  return {
    title: w.dialogTitle,
    intro: w.dialogIntro,
    controllerTitle: w.controller,
    controller: controllerLines(policy, lang),
    levelsTitle: w.levels,
    levels,
    switchesTitle: policy.switches.length > 0 ? w.switches : null,
    purposesTitle: w.purposeDetails,
    purposes,
    withdrawal: { title: w.withdrawal, lines: withdrawalLines(policy, lang) },
    gpc: { title: w.gpcTitle, text: w.gpc },
    categories: Object.fromEntries(Object.entries(policy.categories).map(([id, c]) => [id, c.label[lang]])),
  };
}
