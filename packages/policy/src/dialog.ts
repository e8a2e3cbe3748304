import type { Language } from '@vitrine/contracts';
import { controllerLines, purposeFacts, withdrawalLines } from './notice';
import type { Policy } from './schema';
import { WORDING } from './texts';

export interface NoticeDialogLevel {
  level: number;
  /** "Stufe 1 – Diese Sitzung", as the notice text heads it. */
  heading: string;
  name: string;
  summary: string;
  /** Labels of the level's purposes, in policy order. */
  purposes: string[];
  reward: string | null;
}

export interface NoticeDialogPurpose {
  /** The purpose id a consent request names; null only when read back from the plain text. */
  id: string | null;
  label: string;
  description: string;
  /** The rows the notice lists for the purpose (data, retention, basis, recipients, profiling), verbatim. */
  facts: [string, string][];
  /** Further paragraphs, e.g. the right to object to direct marketing. */
  notes: string[];
  /** Each data category used, with how long it is kept for this purpose. */
  data: { label: string; kept: string }[];
  profiling: boolean;
  /** Offered as a switch beside the dial (off from the start). */
  switch: boolean;
  /** The levels whose bundle holds the purpose. */
  levels: number[];
}

/**
 * The consent dialog's content as data: the same strings as the notice text (`noticeText`),
 * split into the parts a dialog lays out, plus the purpose ids a consent request names. Every
 * string here occurs verbatim in the notice text whose hash goes into the consent record (C10).
 */
export interface NoticeDialog {
  title: string;
  intro: string;
  controllerTitle: string;
  controller: string[];
  levelsTitle: string;
  levels: NoticeDialogLevel[];
  switchesTitle: string | null;
  purposesTitle: string;
  purposes: NoticeDialogPurpose[];
  withdrawal: { title: string; lines: string[] };
  gpc: { title: string; text: string };
  /** Data category id → label, to name the data behind a recommendation's reasons. */
  categories: Record<string, string>;
}

export function noticeDialog(policy: Policy, lang: Language): NoticeDialog {
  const w = WORDING[lang];
  const label = (id: string) => policy.purposes[id]?.label[lang] ?? id;
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
