import type { NoticeResponse as NoticeContract } from '@vitrine/contracts';
import type { NoticeDialog, NoticeDialogLevel, NoticeDialogPurpose } from '@vitrine/policy';
import { type Lang, NOTICE_WORDS } from './messages';

export type { NoticeDialog, NoticeDialogLevel, NoticeDialogPurpose };

/** What `GET /v1/notice` answers; `dialog` is the structured form once the server sends it. */
export type NoticeResponse = NoticeContract & { dialog?: NoticeDialog };

/** The notice the dialog shows: its version (sent back with the choice) and its content. */
export interface Notice {
  version: number;
  language: Lang;
  dialog: NoticeDialog;
}

export function noticeFrom(body: NoticeResponse): Notice {
  const language = body.language === 'en' ? 'en' : 'de';
  return { version: body.version, language, dialog: body.dialog ?? parseNoticeText(body.text, language) };
}

const splitRow = (line: string): [string, string] | undefined => {
  const i = line.indexOf(': ');
  return i < 0 ? undefined : [line.slice(0, i), line.slice(i + 2)];
};

/**
 * Reads the consent dialog's parts back from the plain notice text (`noticeText` of the policy
 * package), so that the dialog shows exactly the text whose hash the consent record keeps. The
 * text has no purpose ids: purposes read this way have `id: null` (no per-purpose switches)
 * until the server sends the structured `dialog` beside it.
 */
export function parseNoticeText(text: string, lang: Lang): NoticeDialog {
  const w = NOTICE_WORDS[lang];
  const sections = text.replace(/\n+$/, '').split('\n\n');
  const title = sections[0] ?? '';
  const intro = sections[1] ?? '';
  const byTitle = new Map<string, string[]>();
  for (const s of sections.slice(2)) {
    const [head = '', ...lines] = s.split('\n');
    byTitle.set(head, lines);
  }
  const titles = [...byTitle.keys()];
  const levelLines = byTitle.get(w.levels) ?? [];
  const purposeLines = byTitle.get(w.purposeDetails) ?? [];
  const switchLabels = (byTitle.get(w.switches) ?? []).map((l) => l.replace(/^- /, ''));

  // Levels: "Stufe N – Name", the summary, then "Zwecke: …" and maybe "Ihr Vorteil: …".
  const heading = new RegExp(`^${w.level} (\\d+) – (.+)$`);
  const levels: NoticeDialogLevel[] = [];
  const levelRows: string[] = [];
  for (let i = 0; i < levelLines.length; i++) {
    const m = heading.exec(levelLines[i]!);
    if (!m) continue;
    const level: NoticeDialogLevel = {
      level: Number(m[1]),
      heading: levelLines[i]!,
      name: m[2]!,
      summary: levelLines[i + 1] ?? '',
      purposes: [],
      reward: null,
    };
    let row = '';
    for (let j = i + 2; j < levelLines.length && !heading.test(levelLines[j]!); j++) {
      const kv = splitRow(levelLines[j]!);
      if (kv?.[0] === w.purposesOfLevel) row = kv[1] === w.noPurposes ? '' : kv[1];
      else if (kv?.[0] === w.reward) level.reward = kv[1];
    }
    levels.push(level);
    levelRows.push(row);
  }

  // Purposes: a heading, its description, then rows starting with "Verwendete Daten: ".
  const purposes: NoticeDialogPurpose[] = [];
  const isHeading = (i: number) => purposeLines[i + 2]?.startsWith(`${w.dataUsed}: `) === true;
  for (let i = 0; i < purposeLines.length; i++) {
    if (!isHeading(i)) continue;
    const label = purposeLines[i]!;
    const facts: [string, string][] = [];
    const notes: string[] = [];
    let j = i + 2;
    for (; j < purposeLines.length && !isHeading(j); j++) {
      const kv = splitRow(purposeLines[j]!);
      if (kv && notes.length === 0 && !kv[0].includes('. ')) facts.push(kv);
      else notes.push(purposeLines[j]!);
    }
    const value = (key: string) => facts.find(([k]) => k === key)?.[1];
    const data = value(w.dataUsed) ?? '';
    const kept = value(w.keptFor);
    const perCategory = new RegExp(`^(.*) \\(${w.keptFor}: (.*)\\)$`);
    purposes.push({
      id: null,
      label,
      description: purposeLines[i + 1] ?? '',
      facts,
      notes,
      data:
        kept !== undefined
          ? data.split(', ').map((l) => ({ label: l, kept }))
          : data.split('; ').map((part) => {
              const m = perCategory.exec(part);
              return m ? { label: m[1]!, kept: m[2]! } : { label: part, kept: '' };
            }),
      profiling: value(w.profiling) === w.yes,
      switch: switchLabels.includes(label),
      levels: levels.flatMap((l, n) => (`, ${levelRows[n]}, `.includes(`, ${label}, `) ? [l.level] : [])),
    });
    i = j - 1;
  }
  // The level rows list purpose labels joined by ", " (labels may hold commas: match whole labels).
  for (const [n, l] of levels.entries()) {
    const row = `, ${levelRows[n]}, `;
    l.purposes = purposes
      .filter((p) => p.levels.includes(l.level))
      .map((p) => p.label)
      .sort((a, b) => row.indexOf(`, ${a}, `) - row.indexOf(`, ${b}, `));
  }

  const withdrawal = byTitle.get(w.withdrawal) ?? [];
  const lastTitle = titles[titles.length - 1] ?? '';
  return {
    title,
    intro,
    controllerTitle: w.controller,
    controller: byTitle.get(w.controller) ?? [],
    levelsTitle: w.levels,
    levels,
    switchesTitle: byTitle.has(w.switches) ? w.switches : null,
    purposesTitle: w.purposeDetails,
    purposes,
    withdrawal: { title: w.withdrawal, lines: withdrawal },
    gpc: {
      title: lastTitle === w.withdrawal ? '' : lastTitle,
      text: (byTitle.get(lastTitle) ?? []).join(' '),
    },
    categories: {},
  };
}

/** What a level uses and keeps, from its purposes' data rows, each label or period once. */
export function levelFacts(d: NoticeDialog, level: number): { uses: string[]; kept: string[] } {
  const uses: string[] = [];
  const kept: string[] = [];
  for (const p of d.purposes) {
    if (!p.levels.includes(level)) continue;
    for (const c of p.data) {
      if (!uses.includes(c.label)) uses.push(c.label);
      if (c.kept !== '' && !kept.includes(c.kept)) kept.push(c.kept);
    }
  }
  return { uses, kept };
}
