import { trendTitle, trendWithHistory } from '../../../src/domain/reports/render/format-values.js';
import { severityColor } from '../../../src/domain/reports/render/svg-charts.js';
import type { WeeklyReport } from './report-types.js';

/** A category chart: one bar slot per label; bar series stack in order, line series draw over them. */
export interface CategoryChart {
  title: string;
  labels: string[];
  series: { name: string; values: number[]; colour: string; kind: 'bar' | 'line' }[];
  /** Seconds (durations) or counts: how the axis and legend print values. */
  unit: 'count' | 'seconds';
}

/** The same stable colours as the HTML report, so the two read alike. */
const TREND_COLOUR = '#1565c0';
const OCCURRENCES_COLOUR = '#f28e2b';
const MEDIAN_COLOUR = '#2e7d32';
const P90_COLOUR = '#a5d6a7';
/** Beyond this many alertnames, the response charts' labels no longer fit. */
const RESPONSE_CHART_ALERTNAMES = 12;

/** Incidents opened per local day, one stacked series per severity (in the order they first appear). */
export function dailyVolumeChart(report: WeeklyReport): CategoryChart {
  const days = report.volume.byDay;
  const severities = [...new Set(days.flatMap((d) => d.bySeverity.map((s) => s.severity)))];
  return {
    title: 'Incidents opened per day, by severity',
    labels: days.map((d) => d.date.slice(5)),
    series: severities.map((severity) => ({
      name: severity,
      colour: severityColor(severity),
      kind: 'bar',
      values: days.map((d) => d.bySeverity.find((s) => s.severity === severity)?.incidents.value ?? 0),
    })),
    unit: 'count',
  };
}

/** Incidents (bars) and occurrences (line) of the last 8 periods, oldest first: those Alertbook's history covers. */
export function trendChart(report: WeeklyReport): CategoryChart {
  const trend = trendWithHistory(report.volume.trend);
  return {
    title: trendTitle(trend.length),
    labels: trend.map((t) => t.label.replace(/^\d{4}-/, '')),
    series: [
      { name: 'incidents', colour: TREND_COLOUR, kind: 'bar', values: trend.map((t) => t.incidents.value ?? 0) },
      {
        name: 'occurrences',
        colour: OCCURRENCES_COLOUR,
        kind: 'line',
        values: trend.map((t) => t.occurrences.value ?? 0),
      },
    ],
    unit: 'count',
  };
}

/**
 * The spread of time to acknowledge or resolve per alertname: the median, and
 * the stretch from the median to p90 stacked on it (so a bar's top is the p90).
 * Alertnames without a single timed incident are left out.
 */
export function responseChart(report: WeeklyReport, which: 'mtta' | 'mttr'): CategoryChart {
  const timed = report.response.byAlertname
    .filter((s) => s[which].median.value !== null)
    .slice(0, RESPONSE_CHART_ALERTNAMES);
  return {
    title: which === 'mtta' ? 'Time to acknowledge per alertname' : 'Time to resolve per alertname',
    labels: timed.map((s) => s.key ?? ''),
    series: [
      { name: 'median', colour: MEDIAN_COLOUR, kind: 'bar', values: timed.map((s) => s[which].median.value ?? 0) },
      {
        name: 'median to p90',
        colour: P90_COLOUR,
        kind: 'bar',
        values: timed.map((s) => Math.max(0, (s[which].p90.value ?? 0) - (s[which].median.value ?? 0))),
      },
    ],
    unit: 'seconds',
  };
}

/**
 * What uPlot draws for stacked bars: each bar series as the running total up to
 * it (uPlot has no stacking; drawn last to first, the lower totals paint over
 * the higher). Line series keep their own values.
 */
export function stackedValues(chart: CategoryChart): number[][] {
  const running = chart.labels.map(() => 0);
  return chart.series.map((s) => {
    if (s.kind === 'line') return [...s.values];
    return s.values.map((v, i) => {
      running[i] = (running[i] ?? 0) + v;
      return running[i]!;
    });
  });
}

/**
 * The order uPlot draws the series in (indexes into `chart.series`): stacked
 * bars from the top of the stack down, so each lower total paints over the
 * one above it, then the lines over the bars.
 */
export function drawOrder(chart: CategoryChart): number[] {
  const indexed = chart.series.map((s, i) => ({ kind: s.kind, i }));
  const bars = indexed.filter((s) => s.kind === 'bar').map((s) => s.i);
  const lines = indexed.filter((s) => s.kind === 'line').map((s) => s.i);
  return [...bars.reverse(), ...lines];
}
