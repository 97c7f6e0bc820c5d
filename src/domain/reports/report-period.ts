import { ValidationError } from '../errors.js';
import { isKnownTimeZone, localFields, startOfLocalDay } from './zoned-time.js';

/** The stretch of time a report covers: [from, to) in `tz`, an ISO week or any range up to a year. */
export interface ReportPeriod {
  kind: 'week' | 'range';
  /** `2026-W48` for a week; for a range, `from…to` as given. */
  label: string;
  /** The ISO week (weeks only). */
  week: string | null;
  tz: string;
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface PeriodInput {
  week?: string;
  from?: string;
  to?: string;
  tz?: string;
}

const DAY_MS = 86_400_000;
// A year and a day: a leap year with a DST change still fits, a second year does not.
const MAX_RANGE_MS = 367 * DAY_MS;
const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO years have 53 weeks when they start on a Thursday, or on a Wednesday in a leap year. */
export function isoWeeksInYear(year: number): number {
  const weekday = (y: number) => (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) % 7;
  return weekday(year) === 4 || weekday(year - 1) === 3 ? 53 : 52;
}

/** The calendar date (y, m, d as a UTC midnight) of the Monday of ISO week `week` of `year`. */
function mondayOfIsoWeek(year: number, week: number): Date {
  // 4 January is always in week 1.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const isoWeekday = jan4.getUTCDay() || 7;
  return new Date(jan4.getTime() + ((week - 1) * 7 - (isoWeekday - 1)) * DAY_MS);
}

/** The ISO week (`2026-W48`) holding a calendar date given as a UTC midnight. */
function isoWeekOfDate(date: Date): string {
  const isoWeekday = date.getUTCDay() || 7;
  // The week's Thursday decides its year.
  const thursday = new Date(date.getTime() + (4 - isoWeekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week that holds `instant` on the calendars of `tz`. */
export function isoWeekOf(instant: Date, tz: string): string {
  const f = localFields(instant, tz);
  return isoWeekOfDate(new Date(Date.UTC(f.year, f.month - 1, f.day)));
}

/** Shifts an ISO week by `delta` weeks (`2026-W01`, -1 → `2025-W52`). */
export function shiftIsoWeek(week: string, delta: number): string {
  const [, y, w] = WEEK_PATTERN.exec(week)!;
  return isoWeekOfDate(new Date(mondayOfIsoWeek(Number(y), Number(w)).getTime() + delta * 7 * DAY_MS));
}

/** The week `2026-W48` in `tz`: local Monday 00:00 to the next Monday 00:00 (167, 168 or 169 hours). */
export function weekPeriod(week: string, tz: string): ReportPeriod {
  const match = WEEK_PATTERN.exec(week);
  if (!match) throw new ValidationError('week', `"${week}" is not an ISO week like 2026-W48`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (number < 1 || number > isoWeeksInYear(year)) {
    throw new ValidationError('week', `${year} has ISO weeks 01 to ${isoWeeksInYear(year)}, not ${match[2]}`);
  }
  const monday = mondayOfIsoWeek(year, number);
  const nextMonday = new Date(monday.getTime() + 7 * DAY_MS);
  const local = (d: Date) => startOfLocalDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), tz);
  return { kind: 'week', label: week, week, tz, from: local(monday), to: local(nextMonday) };
}

/** An instant from `2026-11-23T09:00:00Z` (offset required) or a date `2026-11-23` (local midnight in `tz`). */
function parseBound(field: 'from' | 'to', text: string, tz: string): Date {
  const date = DATE_PATTERN.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
      throw new ValidationError(field, `"${text}" is not a calendar date`);
    return startOfLocalDay(y, m, d, tz);
  }
  // An instant must say its offset: a bare local time would be read in the server's zone.
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(text) || !/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new ValidationError(
      field,
      `"${text}" is neither a date (2026-11-23) nor an instant with an offset (2026-11-23T09:00:00Z)`,
    );
  }
  return new Date(text);
}

/**
 * Resolves what a caller asked for into one period: `week` (ISO week in `tz`),
 * or `from` and `to` (`to` exclusive), or by default the last complete week
 * before `now`. Every mistake is a ValidationError naming the parameter.
 */
export function resolvePeriod(input: PeriodInput, defaults: { tz: string; now: Date }): ReportPeriod {
  const tz = input.tz ?? defaults.tz;
  if (!isKnownTimeZone(tz)) throw new ValidationError('tz', `"${tz}" is not an IANA time zone like Europe/Berlin`);
  const hasRange = input.from !== undefined || input.to !== undefined;
  if (input.week !== undefined && hasRange) throw new ValidationError('week', 'give either week or from/to, not both');
  if (input.week !== undefined) return weekPeriod(input.week, tz);
  if (!hasRange) return weekPeriod(shiftIsoWeek(isoWeekOf(defaults.now, tz), -1), tz);
  if (input.from === undefined) throw new ValidationError('from', 'required with to');
  if (input.to === undefined) throw new ValidationError('to', 'required with from');
  const from = parseBound('from', input.from, tz);
  const to = parseBound('to', input.to, tz);
  if (from.getTime() >= to.getTime()) throw new ValidationError('from', `${input.from} is not before to (${input.to})`);
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw new ValidationError('to', 'a report covers at most a year');
  return { kind: 'range', label: `${input.from}…${input.to}`, week: null, tz, from, to };
}

/** The period of the same length just before this one (the previous week for a week). */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  if (period.week) return weekPeriod(shiftIsoWeek(period.week, -1), period.tz);
  const length = period.to.getTime() - period.from.getTime();
  const from = new Date(period.from.getTime() - length);
  return {
    kind: 'range',
    label: `${from.toISOString()}…${period.from.toISOString()}`,
    week: null,
    tz: period.tz,
    from,
    to: period.from,
  };
}

/** The local calendar days of a period, each as [start, end) instants (23, 24 or 25 hours long). */
export function daysOf(period: ReportPeriod): { date: string; from: Date; to: Date }[] {
  const days: { date: string; from: Date; to: Date }[] = [];
  const first = localFields(period.from, period.tz);
  let day = new Date(Date.UTC(first.year, first.month - 1, first.day));
  for (;;) {
    const from = startOfLocalDay(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), period.tz);
    if (from.getTime() >= period.to.getTime()) break;
    const next = new Date(day.getTime() + DAY_MS);
    const to = startOfLocalDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), period.tz);
    days.push({
      date: day.toISOString().slice(0, 10),
      // biome-ignore lint/complexity/useMathMinMax: Dates compared as instants; Math.max would turn them into numbers.
      from: from < period.from ? period.from : from,
      // biome-ignore lint/complexity/useMathMinMax: as above.
      to: to > period.to ? period.to : to,
    });
    day = next;
  }
  return days;
}
