import { describe, expect, it } from 'vitest';
import {
  type CategoryChart,
  dailyVolumeChart,
  drawOrder,
  responseChart,
  stackedValues,
  trendChart,
} from './chart-series.js';
import type { Figure, WeeklyReport } from './report-types.js';

const fig = (value: number | null): Figure => ({ value, recount: 'count', query: '/api/v1/incidents?x=1' });
const durations = (median: number | null, p90: number | null) => ({
  median: fig(median),
  p90: fig(p90),
  mean: fig(median),
  count: fig(1),
});

// Only the parts the charts read.
const report = {
  volume: {
    byDay: [
      { date: '2026-10-19', incidents: fig(3), bySeverity: [{ severity: 'critical', incidents: fig(3) }] },
      {
        date: '2026-10-20',
        incidents: fig(3),
        bySeverity: [
          { severity: 'warning', incidents: fig(2) },
          { severity: 'critical', incidents: fig(1) },
        ],
      },
      { date: '2026-10-21', incidents: fig(0), bySeverity: [] },
    ],
    trend: [
      { label: '2026-W41', from: '', to: '', incidents: fig(0), occurrences: fig(0), history: 'none' },
      { label: '2026-W42', from: '', to: '', incidents: fig(1), occurrences: fig(4), history: 'part' },
      { label: '2026-W43', from: '', to: '', incidents: fig(6), occurrences: fig(9), history: 'all' },
    ],
  },
  response: {
    byAlertname: [
      { key: 'HighLatency', mtta: durations(240, 300), mttr: durations(180, 1400) },
      { key: 'NeverAcked', mtta: durations(null, null), mttr: durations(600, 600) },
    ],
  },
} as unknown as WeeklyReport;

describe('report charts (data shaping)', () => {
  it('daily volume: one series per severity in order of appearance, zero where a day has none', () => {
    const chart = dailyVolumeChart(report);
    expect(chart.labels).toEqual(['10-19', '10-20', '10-21']);
    expect(chart.series.map((s) => [s.name, s.values, s.kind])).toEqual([
      ['critical', [3, 1, 0], 'bar'],
      ['warning', [0, 2, 0], 'bar'],
    ]);
    // The HTML report's colours.
    expect(chart.series[0]!.colour).toBe('#c62828');
  });

  it('trend: incidents as bars, occurrences as a line, labels without the year; periods before the history left out', () => {
    const chart = trendChart(report);
    expect(chart.title).toBe('Last 2 periods');
    expect(chart.labels).toEqual(['W42', 'W43']);
    expect(chart.series.map((s) => [s.name, s.kind, s.values])).toEqual([
      ['incidents', 'bar', [1, 6]],
      ['occurrences', 'line', [4, 9]],
    ]);
  });

  it('response: the median and the stretch to p90 per alertname, leaving out alertnames with no timed incident', () => {
    const mtta = responseChart(report, 'mtta');
    expect(mtta.labels).toEqual(['HighLatency']);
    expect(mtta.series.map((s) => s.values)).toEqual([[240], [60]]);
    expect(mtta.unit).toBe('seconds');
    const mttr = responseChart(report, 'mttr');
    expect(mttr.labels).toEqual(['HighLatency', 'NeverAcked']);
    expect(mttr.series.map((s) => s.values)).toEqual([
      [180, 600],
      [1220, 0],
    ]);
  });

  it('stacks bars as running totals, drawn top first, lines untouched and last', () => {
    const chart: CategoryChart = {
      title: 't',
      labels: ['a', 'b'],
      unit: 'count',
      series: [
        { name: 'x', colour: '#000', kind: 'bar', values: [1, 2] },
        { name: 'line', colour: '#000', kind: 'line', values: [7, 8] },
        { name: 'y', colour: '#000', kind: 'bar', values: [3, 0] },
      ],
    };
    expect(stackedValues(chart)).toEqual([
      [1, 2],
      [7, 8],
      [4, 2],
    ]);
    expect(drawOrder(chart)).toEqual([2, 0, 1]);
  });
});
