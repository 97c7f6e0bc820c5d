import type { Db } from '../../../src/db/client.js';
import * as q from '../../../src/db/reports/report-queries.js';
import { SELF_RESOLVING_SECONDS, FLAP_FIRINGS_IN_24H, FLAPPING_SHOWN, SHORT_EPISODE_SECONDS } from '../../../src/domain/reports/sections/noise.js';
import type { ReportPeriod } from '../../../src/domain/reports/report-period.js';

/**
 * Each query of the report alone, one after the other (`--queries`): where a
 * report's time goes. The report itself runs them concurrently, so these add
 * up to more than its wall time on an idle machine and to about it on a busy one.
 */
export async function timeQueries(db: Db, period: ReportPeriod): Promise<[string, number][]> {
  const queries: [string, () => Promise<unknown>][] = [
    ['incidentTraits', () => q.incidentTraits(db, period, SELF_RESOLVING_SECONDS)],
    ['occurrenceCombinations', () => q.occurrenceCombinations(db, period)],
    ['responseTimes', () => q.responseTimes(db, period)],
    ['latestIncidentPerAlertname', () => q.latestIncidentPerAlertname(db, period)],
    ['incidentCombinations', () => q.incidentCombinations(db, period)],
    ['notificationTotals', () => q.notificationTotals(db, period)],
    ['incidentsByLocalTime', () => q.incidentsByLocalTime(db, period, period.tz)],
    ['countIncidents (one trend week)', () => q.countIncidents(db, period)],
    ['countOccurrences (one trend week)', () => q.countOccurrences(db, period)],
    [
      'flappingFingerprints',
      () =>
        q.flappingFingerprints(db, period, {
          shortEpisodeSeconds: SHORT_EPISODE_SECONDS,
          firingsIn24h: FLAP_FIRINGS_IN_24H,
          shown: FLAPPING_SHOWN,
        }),
    ],
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
