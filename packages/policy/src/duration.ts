/**
 * ISO 8601 durations as policies use them: `P12M`, `P30D`, `P3Y`, `PT12H`, `P1Y6M`.
 * Weeks may not be combined with other units (ISO 8601).
 */
const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * A month counts as 30 days and a year as 365 days. Both are never longer than the calendar
 * period (P12M = 360 days), so converting never keeps data longer than the policy says.
 */
const UNIT_MS: Record<DurationUnit, number> = {
  years: 365 * DAY,
  months: 30 * DAY,
  weeks: 7 * DAY,
  days: DAY,
  hours: HOUR,
  minutes: 60_000,
  seconds: 1_000,
};

/** The non-zero parts of an ISO 8601 duration in unit order, or `undefined` when it is not one. */
export function durationParts(text: string): [DurationUnit, number][] | undefined {
  const m = DURATION.exec(text);
  if (m === null) return undefined;
  const present = DURATION_UNITS.flatMap((unit, i): [DurationUnit, number][] =>
    m[i + 1] === undefined ? [] : [[unit, Number(m[i + 1])]],
  );
  if (present.some(([u]) => u === 'weeks') && present.length > 1) return undefined;
  const parts = present.filter(([, n]) => n > 0);
  return parts.length > 0 ? parts : undefined;
}

/** Milliseconds of an ISO 8601 duration, or `undefined` when the text is not one (or is zero). */
export function durationMs(text: string): number | undefined {
  const parts = durationParts(text);
  return parts?.reduce((ms, [unit, n]) => ms + n * UNIT_MS[unit], 0);
}
