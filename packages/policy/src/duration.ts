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
 * For `durationMs` only, an approximation (a month as 30 days, a year as 365). Expiry never
 * uses it: `addDuration` counts calendar months and years, so "12 months" is 12 months.
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

/**
 * Approximate milliseconds of an ISO 8601 duration (a month as 30 days), or `undefined` when the
 * text is not one (or is zero). For comparisons and validation; expiry times use `addDuration`.
 */
export function durationMs(text: string): number | undefined {
  const parts = durationParts(text);
  return parts?.reduce((ms, [unit, n]) => ms + n * UNIT_MS[unit], 0);
}

const CALENDAR_MS: Record<Exclude<DurationUnit, 'years' | 'months'>, number> = {
  weeks: 7 * DAY,
  days: DAY,
  hours: HOUR,
  minutes: 60_000,
  seconds: 1_000,
};

/**
 * The time `duration` after `ts`, on the UTC calendar: years and months move the date (31 January
 * plus P1M is the last day of February, 29 February plus P1Y is 28 February), weeks and days
 * are 24 hours, the time of day stays. So data kept "P12M" is kept twelve calendar months, to
 * the day, not 360 days. Throws on a text that is not a duration (policies are validated first).
 */
export function addDuration(ts: number, duration: string): number {
  const parts = durationParts(duration);
  if (parts === undefined) throw new TypeError(`not an ISO 8601 duration: ${duration}`);
  let months = 0;
  let ms = 0;
  for (const [unit, n] of parts) {
    if (unit === 'years') months += 12 * n;
    else if (unit === 'months') months += n;
    else ms += n * CALENDAR_MS[unit];
  }
  const d = new Date(ts);
  const timeOfDay = ts - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay)) + timeOfDay + ms;
}
