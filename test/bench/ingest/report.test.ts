import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import type { BenchResult } from './result.js';

const MiB = 1024 * 1024;

function row(
  alertCount: number,
  alertsPerSecond: { webhook: number; baseline: number; bareReceiver: number },
  receiverRatioByRound = [alertsPerSecond.webhook / alertsPerSecond.bareReceiver],
) {
  const figures = (perSecond: number) => ({
    notifications: 10,
    seconds: 1,
    notificationsPerSecond: perSecond / alertCount,
    alertsPerSecond: perSecond,
    latencyMs: { p50: 5, p99: 20, max: 30 },
  });
  const result: BenchResult = {
    backend: 'postgres',
    alertCount,
    concurrency: 1,
    rounds: receiverRatioByRound.length,
    webhook: {
      ...figures(alertsPerSecond.webhook),
      peakRssBytes: 200 * MiB,
      cpuSeconds: 0.009,
      idleRssBytes: 100 * MiB,
      databaseCpuSeconds: 0.006,
    },
    baseline: figures(alertsPerSecond.baseline),
    ratio: alertsPerSecond.webhook / alertsPerSecond.baseline,
    bareReceiver: { ...figures(alertsPerSecond.bareReceiver), cpuSeconds: 0.004, databaseCpuSeconds: null },
    receiverRatio: alertsPerSecond.webhook / alertsPerSecond.bareReceiver,
    receiverRatioByRound,
  };
  return result;
}

const environment = {
  startedAt: '2026-12-04T20:00:00Z',
  node: 'v20',
  cpus: 2,
  postgres: '15',
  quick: true,
  loadAverage: { start: 1, end: 1 },
  idleRssBytes: 100 * MiB,
};

/** The cells of the `nth` table row (from 0, over the report's tables) whose first cell is `alerts`. */
function cellsOf(report: string, alerts: string, nth = 0): string[] {
  const line = report.split('\n').filter((l) => l.startsWith('|') && l.split('|')[1]!.trim() === alerts)[nth]!;
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('renderReport', () => {
  it('prints both ratios on every row: to the bare receiver judged always, to the raw insert from 100 alerts', () => {
    const report = renderReport({
      environment,
      results: [
        row(1, { webhook: 570, baseline: 2_000, bareReceiver: 1_000 }),
        row(100, { webhook: 4_400, baseline: 10_000, bareReceiver: 6_600 }),
      ],
      targets: [],
    });
    const header = cellsOf(report, 'alerts/notification');
    const column = (name: string) => header.indexOf(name);
    const small = cellsOf(report, '1');
    const large = cellsOf(report, '100');
    expect(small[column('ratio to bare receiver')]).toBe('0.57 MISS');
    expect(small[column('ratio to raw insert')]).toBe('0.28');
    expect(large[column('ratio to bare receiver')]).toBe('0.66 PASS');
    expect(large[column('ratio to raw insert')]).toBe('0.44 MISS');
    expect(large[column("receiver's ratio to raw insert")]).toBe('0.66');
  });

  it('rounds a ratio down, so that a miss never prints as the target', () => {
    const report = renderReport({
      environment,
      results: [
        row(1, { webhook: 598, baseline: 2_000, bareReceiver: 1_000 }),
        row(10, { webhook: 600, baseline: 2_069, bareReceiver: 1_000 }),
      ],
      targets: [],
    });
    const header = cellsOf(report, 'alerts/notification');
    expect(cellsOf(report, '1')[header.indexOf('ratio to bare receiver')]).toBe('0.59 MISS');
    expect(cellsOf(report, '10')[header.indexOf('ratio to bare receiver')]).toBe('0.60 PASS');
    // 600 / 2,069 = 0.28999…, and 0.29 × 100 is 28.999… in floating point: still 0.28, and 0.29 stays 0.29.
    expect(cellsOf(report, '10')[header.indexOf('ratio to raw insert')]).toBe('0.28');
    expect(cellsOf(report, '1')[header.indexOf('ratio to raw insert')]).toBe('0.29');
  });

  it("says how many rounds stand behind the figures and prints each round's ratio to the bare receiver", () => {
    const report = renderReport({
      environment,
      results: [row(1, { webhook: 620, baseline: 2_000, bareReceiver: 1_000 }, [0.58, 0.62, 0.71])],
      targets: [],
    });
    const header = cellsOf(report, 'alerts/notification');
    const cells = cellsOf(report, '1');
    expect(cells[header.indexOf('rounds')]).toBe('3');
    expect(cells[header.indexOf('ratio to bare receiver')]).toBe('0.62 PASS');
    expect(cells[header.indexOf('… each round')]).toBe('0.58 0.62 0.71');
  });

  it("splits each row's CPU per notification between the receiving process and the database server", () => {
    const report = renderReport({
      environment,
      results: [row(1, { webhook: 570, baseline: 2_000, bareReceiver: 1_000 })],
      targets: [],
    });
    expect(cellsOf(report, 'alerts/notification', 1)).toEqual([
      'alerts/notification',
      'concurrency',
      'app',
      'its database',
      'bare receiver',
      'its database',
    ]);
    // 10 notifications: 9 ms of the app's CPU is 0.90 ms each; an unmeasured server prints a dash.
    expect(cellsOf(report, '1', 1)).toEqual(['1', '1', '0.90', '0.60', '0.40', '—']);
  });
});
