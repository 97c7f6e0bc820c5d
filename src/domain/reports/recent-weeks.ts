import { historyStart } from '../../db/reports/report-queries.js';
import { historyCoverage, type HistoryCoverage } from '../history-coverage.js';
import { isoWeekOf, shiftIsoWeek, weekPeriod } from './report-period.js';
import type { ReportContext } from './build-report.js';
import { listStoredReports } from './stored-reports.js';
import { isKnownTimeZone } from './zoned-time.js';
import { ValidationError } from '../errors.js';

/** How many weeks back the notebook's /reports page offers to generate (about a quarter). */
export const RECENT_WEEKS = 13;

export interface ReportWeek {
  week: string;
  tz: string;
  from: string;
  to: string;
  /** The week that holds the server's "now": its report is still growing. */
  inProgress: boolean;
  /** How much of the week Alertbook's history covers: a week before it began has no data to report. */
  history: HistoryCoverage;
  /** The stored report of this week and zone, if one was kept. */
  stored: { id: number; createdAt: string; createdBy: string } | null;
}

/**
 * The weeks a person can open a report of, newest first: the current week and
 * the RECENT_WEEKS − 1 before it in `tz` (by the server's clock, so browser and
 * server agree on what "this week" is), plus every older week with a stored report.
 */
export async function listReportWeeks({
  ctx,
  input,
}: {
  ctx: Pick<ReportContext, 'db' | 'clock' | 'defaultTz'>;
  input: { tz?: string };
}): Promise<{ tz: string; weeks: ReportWeek[] }> {
  const tz = input.tz ?? ctx.defaultTz;
  if (!isKnownTimeZone(tz)) throw new ValidationError('tz', `"${tz}" is not an IANA time zone like Europe/Berlin`);
  const current = isoWeekOf(ctx.clock(), tz);
  const [historyFrom, storedReports] = await Promise.all([historyStart(ctx.db), listStoredReports({ ctx })]);
  const byKey = new Map<string, ReportWeek>();
  for (let back = 0; back < RECENT_WEEKS; back++) {
    const period = weekPeriod(shiftIsoWeek(current, -back), tz);
    byKey.set(`${period.week}|${tz}`, {
      week: period.week!,
      tz,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      inProgress: back === 0,
      history: historyCoverage(period, historyFrom),
      stored: null,
    });
  }
  for (const row of storedReports) {
    if (row.week === null) continue;
    const key = `${row.week}|${row.tz}`;
    const stored = { id: row.id, createdAt: row.createdAt.toISOString(), createdBy: row.createdBy };
    const known = byKey.get(key);
    if (known) known.stored ??= stored;
    else
      byKey.set(key, {
        week: row.week,
        tz: row.tz,
        from: row.from.toISOString(),
        to: row.to.toISOString(),
        inProgress: false,
        history: historyCoverage(row, historyFrom),
        stored,
      });
  }
  const weeks = [...byKey.values()].sort((a, b) => b.from.localeCompare(a.from) || a.tz.localeCompare(b.tz));
  return { tz, weeks };
}
