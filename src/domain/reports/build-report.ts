import type { Db } from '../../db/client.js';
import {
  flappingFingerprints,
  historyStart,
  incidentTraits,
  latestIncidentPerAlertname,
  occurrenceCombinations,
} from '../../db/reports/report-queries.js';
import type { Clock } from '../clock.js';
import { HISTORY_DEFINITION, historyCoverage } from '../history-coverage.js';
import type { WeeklyReport } from './model.js';
import { resolvePeriod, type PeriodInput, type ReportPeriod } from './report-period.js';
import { ACTION_DEFINITIONS, rankActions } from './sections/actions.js';
import { buildNoise, FLAPPING_LIMITS, NOISE_DEFINITIONS, SELF_RESOLVING_SECONDS } from './sections/noise.js';
import { buildResponse, RESPONSE_DEFINITIONS } from './sections/response.js';
import { buildRunbooks, RUNBOOK_DEFINITIONS } from './sections/runbooks.js';
import { tuningDecisionsTable } from '../../db/tuning/tuning-decision-source.js';
import {
  buildTuning,
  TUNING_DEFINITIONS,
  type TuningDecisionSource,
  type TuningRecommendation,
} from './sections/tuning.js';
import { buildVolume, VOLUME_DEFINITIONS } from './sections/volume.js';

/** Bump when a definition changes what a number means: stored reports keep the version they were made with. */
export const DEFINITIONS_VERSION = 1;

export const DEFINITIONS: Record<string, string> = {
  period:
    "Period: an ISO week (Monday 00:00 to the next Monday 00:00) in the report's time zone — 167 or 169 hours in a week with a " +
    'DST change — or any range [from, to) up to a year. Every count is recomputed from the stored rows when the report is made; ' +
    'a stored report keeps the numbers of the day it was made.',
  history: HISTORY_DEFINITION,
  ...VOLUME_DEFINITIONS,
  ...RESPONSE_DEFINITIONS,
  ...NOISE_DEFINITIONS,
  ...RUNBOOK_DEFINITIONS,
  ...TUNING_DEFINITIONS,
  ...ACTION_DEFINITIONS,
};

export interface ReportContext {
  db: Db;
  clock: Clock;
  /** The zone of a request that names none (ALERTBOOK_REPORT_TZ). */
  defaultTz: string;
  tuning?: TuningDecisionSource;
}

/** Resolves the period of a request (400s naming the parameter) without touching the database. */
export function reportPeriod(ctx: Pick<ReportContext, 'clock' | 'defaultTz'>, input: PeriodInput): ReportPeriod {
  return resolvePeriod(input, { tz: ctx.defaultTz, now: ctx.clock() });
}

/** The whole report for a period: every figure with the query that recounts it. */
export async function buildWeeklyReport({
  ctx,
  input,
}: {
  ctx: ReportContext;
  input: PeriodInput;
}): Promise<WeeklyReport> {
  const period = reportPeriod(ctx, input);
  const generatedAt = ctx.clock();
  const { db } = ctx;
  // Every query is sent at once (over the pool's connections), the flapping window first: it is the longest, and
  // waiting for the first queries before starting it put them on the report's critical path.
  const flappingRows = flappingFingerprints(db, period, FLAPPING_LIMITS);
  const traitRows = incidentTraits(db, period, SELF_RESOLVING_SECONDS);
  const occurrenceRows = occurrenceCombinations(db, period);
  const historyFrom = historyStart(db);
  const [flapping, traits, occurrences, response, latest, volume, runbooks, history] = await Promise.all([
    flappingRows,
    traitRows,
    occurrenceRows,
    buildResponse(db, period),
    latestIncidentPerAlertname(db, period),
    buildVolume(db, period, occurrenceRows, historyFrom),
    buildRunbooks(db, period, traitRows),
    historyFrom,
  ]);
  const noise = buildNoise(period, traits, occurrences, flapping);

  const recommendations = new Map<string, TuningRecommendation>();
  const tuneLink = (alertname: string) =>
    latest.has(alertname) ? `/incidents/${latest.get(alertname)}?tune=1` : '/incidents';
  for (const s of noise.selfResolving.byAlertname) {
    recommendations.set(s.alertname, {
      alertname: s.alertname,
      evidence: `${s.incidents.value} of ${s.of.value} incidents resolved on their own within 5 min, unacknowledged`,
      link: tuneLink(s.alertname),
    });
  }
  for (const f of noise.flapping) {
    if (recommendations.has(f.alertname)) continue;
    recommendations.set(f.alertname, {
      alertname: f.alertname,
      evidence: `${f.firings.value} firings of one label set, up to ${f.maxFiringsIn24h.value} within 24 h`,
      link: tuneLink(f.alertname),
    });
  }
  const tuning = await buildTuning(
    db,
    period,
    ctx.tuning ?? tuningDecisionsTable(db),
    [...recommendations.values()],
    history,
  );

  return {
    definitionsVersion: DEFINITIONS_VERSION,
    period: {
      kind: period.kind,
      label: period.label,
      week: period.week,
      tz: period.tz,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
    },
    generatedAt: generatedAt.toISOString(),
    history: { from: history?.toISOString() ?? null, covers: historyCoverage(period, history) },
    volume,
    response,
    noise,
    runbooks,
    tuning,
    actions: rankActions({ noise, runbooks, response, recommendations: tuning.recommendations }),
    definitions: DEFINITIONS,
  };
}
