import type { Db } from '../../../src/db/client.js';
import * as q from '../../../src/db/reports/report-queries.js';
import { FLAPPING_LIMITS, SELF_RESOLVING_SECONDS } from '../../../src/domain/reports/sections/noise.js';
import { previousPeriod, type ReportPeriod } from '../../../src/domain/reports/report-period.js';

/**
 * Each query of the report alone, one after the other (`--queries`): where a
 * report's time goes. The report itself runs them concurrently, so these add
 * up to more than its wall time on an idle machine and to about it on a busy one.
 */
export async function timeQueries(db: Db, period: ReportPeriod): Promise<[string, number][]> {
  const earlier = [previousPeriod(period)];
  while (earlier.length < 7) earlier.unshift(previousPeriod(earlier[0]!));
  const queries: [string, () => Promise<unknown>][] = [
    ['incidentTraits', () => q.incidentTraits(db, period, SELF_RESOLVING_SECONDS)],
    ['occurrenceCombinations', () => q.occurrenceCombinations(db, period)],
    ['responseTimes', () => q.responseTimes(db, period)],
    ['latestIncidentPerAlertname', () => q.latestIncidentPerAlertname(db, period)],
    ['incidentCombinations', () => q.incidentCombinations(db, period)],
    ['notificationTotals', () => q.notificationTotals(db, period)],
    ['incidentsByLocalTime', () => q.incidentsByLocalTime(db, period, period.tz)],
    ['periodCounts (the trend: 7 weeks)', () => q.periodCounts(db, earlier)],
    ['flappingFingerprints', () => q.flappingFingerprints(db, period, FLAPPING_LIMITS)],
    ['pinnedVersionUse', () => q.pinnedVersionUse(db, period)],
    ['runbookChanges', () => q.runbookChanges(db, period)],
  ];
  const times: [string, number][] = [];
  for (const [name, run] of queries) {
    const started = performance.now();
    await run();
    times.push([name, performance.now() - started]);
  }
  return times;
}
