import type { NoticeDialog } from './notice';

export type Level = 0 | 1 | 2 | 3;
export type Method = 'accept' | 'reject' | 'save';

/** What the customer chose in the dialog. */
export interface Choice {
  level: Level;
  /** Per-purpose switches by id; purposes not named keep the level's default. */
  purposes: Record<string, boolean>;
  method: Method;
  /** Chosen above level 1 after being shown the GPC conflict (O1). */
  overrideGpc?: boolean;
}

/** The body of `PUT /v1/subjects/{id}/consent` for a choice on a notice version. */
export function consentBody(choice: Choice, noticeVersion: number, language: 'de' | 'en') {
  return {
    level: choice.level,
    purposes: choice.purposes,
    notice_version: noticeVersion,
    language,
    method: choice.method,
    override_gpc: choice.overrideGpc === true,
  };
}

/** A choice gives consent to something: a level above 0 or a switch turned on. */
export const grantsAnything = (c: Pick<Choice, 'level' | 'purposes'>): boolean =>
  c.level > 0 || Object.values(c.purposes).some((on) => on);

/**
 * O1: with a GPC signal the level stays at 1 unless the customer, shown the conflict, chooses
 * more explicitly. The dialog asks before it sends anything above 1.
 */
export const gpcConflict = (level: Level, gpc: boolean, override: boolean): boolean =>
  gpc && level > 1 && !override;

/**
 * The switch positions the second layer starts from at a level (C3: nothing pre-ticked beyond
 * what the customer chose): the level's own purposes on unless turned off before, extra
 * switches as the customer left them, otherwise off.
 */
export function initialSwitches(
  d: NoticeDialog,
  level: Level,
  current: { level: Level; purposes: Readonly<Record<string, boolean>> },
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  // Bundle purposes turned off count only at the level they were turned off at.
  const sameLevel = current.level === level;
  for (const p of d.purposes) {
    out[p.id] = p.switch
      ? current.purposes[p.id] === true
      : p.levels.includes(level) && !(sameLevel && current.purposes[p.id] === false);
  }
  return out;
}

/** Only what differs from the level's default goes into the request (off in the bundle, on as a switch). */
export function purposeChanges(
  d: NoticeDialog,
  level: Level,
  switches: Readonly<Record<string, boolean>>,
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of d.purposes) {
    if (switches[p.id] === undefined) continue;
    const on = switches[p.id]!;
    if (p.switch) {
      if (on) out[p.id] = true;
    } else if (p.levels.includes(level) && !on) out[p.id] = false;
  }
  return out;
}
