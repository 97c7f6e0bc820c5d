import { describe, expect, it } from 'vitest';
import type { BenchResult } from './result.js';
import { judgeTargets } from './targets.js';

const MiB = 1024 * 1024;

function row(overrides: {
  backend?: BenchResult['backend'];
  alertCount: number;
  concurrency: number;
  notificationsPerSecond?: number;
  p99?: number;
  max?: number;
  rssMb?: number;
  ratio?: number | null;
  bareReceiverAlertsPerSecond?: number;
}): BenchResult {
  const figures = {
    notifications: 10,
    seconds: 1,
    notificationsPerSecond: overrides.notificationsPerSecond ?? 600,
    alertsPerSecond: 6000,
    latencyMs: { p50: 5, p99: overrides.p99 ?? 20, max: overrides.max ?? 30 },
  };
  return {
    backend: overrides.backend ?? 'postgres',
    alertCount: overrides.alertCount,
    concurrency: overrides.concurrency,
    webhook: { ...figures, peakRssBytes: (overrides.rssMb ?? 200) * MiB, cpuSeconds: 0.9, idleRssBytes: 100 * MiB },
    baseline: figures,
    ratio: overrides.ratio === undefined ? 0.8 : overrides.ratio,
    bareReceiver:
      overrides.bareReceiverAlertsPerSecond === undefined
        ? null
        : { ...figures, alertsPerSecond: overrides.bareReceiverAlertsPerSecond },
  };
}

describe('judgeTargets', () => {
  it('passes a run that meets every target', () => {
    const verdicts = judgeTargets([
      row({ alertCount: 10, concurrency: 8 }),
      row({ alertCount: 10_000, concurrency: 1, max: 900 }),
    ]);
    expect(verdicts.map((v) => v.pass)).toEqual([true, true, true, true, true]);
  });

  it('misses each target on its own figure and says by how much', () => {
    const verdicts = judgeTargets([
      row({ alertCount: 10, concurrency: 8, notificationsPerSecond: 480, p99: 51 }),
      row({ alertCount: 10_000, concurrency: 1, max: 1250, rssMb: 320 }),
      row({ alertCount: 1, concurrency: 1, ratio: 0.2, bareReceiverAlertsPerSecond: 2400 }),
    ]);
    expect(verdicts.map((v) => v.pass)).toEqual([false, false, false, false, false]);
    expect(verdicts.map((v) => v.measured)).toEqual([
      '1.25 s',
      '480/s',
      '51.0 ms',
      'worst 0.20 (1-alert notifications, concurrency 1); a bare receiver 0.40 there; 2/3 rows pass',
      '320 MB (10,000-alert notifications, concurrency 1)',
    ]);
  });

  it('judges the Postgres server only: figures of the embedded one leave the targets not measured', () => {
    const verdicts = judgeTargets([row({ backend: 'embedded', alertCount: 10, concurrency: 8, ratio: null })]);
    expect(verdicts.every((v) => v.pass === null)).toBe(true);
  });
});
