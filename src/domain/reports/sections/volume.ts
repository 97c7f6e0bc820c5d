import type { Db } from '../../../db/client.js';
import {
  periodCounts,
  incidentCombinations,
  incidentsByLocalTime,
  notificationTotals,
  type OccurrenceCombination,
} from '../../../db/reports/report-queries.js';
import { figure, incidentsQuery, notificationsQuery, occurrencesQuery, ratio, type Span } from '../figure.js';
import { historyCoverage } from '../../history-coverage.js';
import type { Breakdown, VolumeSection } from '../model.js';
import { daysOf, previousPeriod, type ReportPeriod } from '../report-period.js';

export const VOLUME_DEFINITIONS = {
  incidentsOpened:
    'Incidents opened: incidents whose start (the earliest startsAt of the alerts that opened them) lies in the period. ' +
    'An incident spanning two periods counts in the one it opened in. A re-fire — the same alert group firing again after ' +
    'its incident resolved — opens a new incident and counts again.',
  occurrencesFired:
    'Alert occurrences fired: distinct alerts (fingerprint + startsAt) whose startsAt lies in the period, however many ' +
    'notifications carried them and in whatever order they arrived.',
  notificationsReceived:
    'Notifications received: distinct webhook notifications first received in the period (by the service clock).',
  duplicatesAbsorbed:
    'Duplicates absorbed: identical re-deliveries of those notifications (retries, repeat-interval resends, HA twins) that changed nothing.',
  breakdowns:
    "Incidents by severity, alertname, receiver and runbook owner use the incident's own fields (the group's common labels); " +
    'occurrences by severity and alertname use each alert\'s labels. "(none)" means the label or owner is missing.',
  change:
    'Week-over-week change: (this period − previous period) / previous period, for the period of equal length just before; ' +
    "none when the previous period had nothing, or lies wholly or partly before Alertbook's history began.",
  trend:
    "Trend: incidents opened and occurrences fired in each of the 8 periods ending with this one, each marked with how much of it Alertbook's history covers.",
  byTime: "Day, weekday and hour of day are local to the report's time zone; a day of a DST change has 23 or 25 hours.",
};

const TREND_PERIODS = 8;

function sumBy<T>(rows: T[], key: (row: T) => string, value: (row: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + value(row));
  return sums;
}

function sortedEntries(sums: Map<string, number>): [string, number][] {
  return [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** `occurrenceCombos` and `historyFrom` are awaited after this section's own queries are sent: they do not wait for them. */
export async function buildVolume(
  db: Db,
  period: ReportPeriod,
  occurrenceCombos: Promise<OccurrenceCombination[]>,
  historyFrom: Promise<Date | null>,
): Promise<VolumeSection> {
  const span: Span = period;
  const trendPeriods: ReportPeriod[] = [period];
  while (trendPeriods.length < TREND_PERIODS) trendPeriods.unshift(previousPeriod(trendPeriods[0]!));
  const [combos, notifications, byTime, earlier, occurrences, historyStart] = await Promise.all([
    incidentCombinations(db, span),
    notificationTotals(db, span),
    incidentsByLocalTime(db, span, period.tz),
    periodCounts(db, trendPeriods.slice(0, -1)),
    occurrenceCombos,
    historyFrom,
  ]);
  const incidentsTotal = combos.reduce((n, r) => n + r.incidents, 0);
  const occurrencesTotal = occurrences.reduce((n, r) => n + r.occurrences, 0);
  const counts = [...earlier, { incidents: incidentsTotal, occurrences: occurrencesTotal }];
  const trend = trendPeriods.map((p, i) => ({
    label: p.label,
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    incidents: figure(counts[i]!.incidents, 'count', incidentsQuery(p)),
    occurrences: figure(counts[i]!.occurrences, 'count', occurrencesQuery(p)),
    history: historyCoverage(p, historyStart),
  }));
  const previous = trend[trend.length - 2]!;
  // Against a week the history covers only in part (or not at all), a change says more about the install date than the alerts.
  const change = (now: number, before: number) => (previous.history === 'all' ? ratio(now - before, before) : null);

  const breakdown = (field: 'severity' | 'alertname' | 'receiver' | 'owner', withOccurrences: boolean): Breakdown[] => {
    const occurrenceSums = withOccurrences
      ? sumBy(
          occurrences,
          (r) => r[field as 'severity' | 'alertname'],
          (r) => r.occurrences,
        )
      : null;
    const incidentSums = sumBy(
      combos,
      (r) => r[field],
      (r) => r.incidents,
    );
    const keys = new Set([...incidentSums.keys(), ...(occurrenceSums?.keys() ?? [])]);
    return sortedEntries(new Map([...keys].map((k) => [k, incidentSums.get(k) ?? 0]))).map(([key, n]) => ({
      key,
      incidents: figure(n, 'count', incidentsQuery(span, { [field]: key })),
      ...(occurrenceSums
        ? { occurrences: figure(occurrenceSums.get(key) ?? 0, 'count', occurrencesQuery(span, { [field]: key })) }
        : {}),
    }));
  };

  const severities = [...new Set(byTime.map((r) => r.severity))].sort();
  const byDay = daysOf(period).map((day) => {
    const rows = byTime.filter((r) => r.date === day.date);
    return {
      date: day.date,
      incidents: figure(
        rows.reduce((n, r) => n + r.incidents, 0),
        'count',
        incidentsQuery(day),
      ),
      bySeverity: severities.map((severity) => ({
        severity,
        incidents: figure(
          rows.filter((r) => r.severity === severity).reduce((n, r) => n + r.incidents, 0),
          'count',
          incidentsQuery(day, { severity }),
        ),
      })),
    };
  });
  const count = (predicate: (r: (typeof byTime)[number]) => boolean) =>
    byTime.filter(predicate).reduce((n, r) => n + r.incidents, 0);

  return {
    incidentsOpened: figure(incidentsTotal, 'count', incidentsQuery(span)),
    occurrencesFired: figure(occurrencesTotal, 'count', occurrencesQuery(span)),
    notificationsReceived: figure(notifications.received, 'count', notificationsQuery(span)),
    duplicatesAbsorbed: figure(notifications.duplicates, 'duplicates', notificationsQuery(span)),
    previous: { label: previous.label, incidentsOpened: previous.incidents, occurrencesFired: previous.occurrences },
    change: {
      incidentsOpened: change(incidentsTotal, previous.incidents.value!),
      occurrencesFired: change(occurrencesTotal, previous.occurrences.value!),
    },
    bySeverity: breakdown('severity', true),
    byAlertname: breakdown('alertname', true),
    byReceiver: breakdown('receiver', false),
    byRunbookOwner: breakdown('owner', false),
    trend,
    byDay,
    byWeekday: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      incidents: figure(
        count((r) => r.weekday === weekday),
        'count',
        incidentsQuery(span, { weekday, tz: period.tz }),
      ),
    })),
    byHour: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      incidents: figure(
        count((r) => r.hour === hour),
        'count',
        incidentsQuery(span, { hour, tz: period.tz }),
      ),
    })),
  };
}
