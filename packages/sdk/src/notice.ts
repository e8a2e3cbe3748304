import type {
  NoticeDialog,
  NoticeDialogLevel,
  NoticeDialogPurpose,
  NoticeResponse,
} from '@vitrine/contracts';
import type { Lang } from './messages';

export type { NoticeDialog, NoticeDialogLevel, NoticeDialogPurpose, NoticeResponse };

/** The notice the dialog shows: its version (sent back with the choice) and its content. */
export interface Notice {
  version: number;
  language: Lang;
  dialog: NoticeDialog;
}

/**
 * The dialog's content comes from the server as the structured `dialog` of `GET /v1/notice`: the
 * same strings as the notice text whose hash the consent record keeps (C10), with the purpose
 * ids the per-purpose switches name (C5).
 */
export function noticeFrom(body: NoticeResponse): Notice {
  return { version: body.version, language: body.language === 'en' ? 'en' : 'de', dialog: body.dialog };
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
