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
  receiverRatio?: number | null;
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
    rounds: 1,
    webhook: {
      ...figures,
      peakRssBytes: (overrides.rssMb ?? 200) * MiB,
      cpuSeconds: 0.9,
      idleRssBytes: 100 * MiB,
      databaseCpuSeconds: null,
    },
    baseline: figures,
    ratio: overrides.ratio === undefined ? 0.8 : overrides.ratio,
    bareReceiver:
      overrides.bareReceiverAlertsPerSecond === undefined
        ? null
        : {
            ...figures,
            alertsPerSecond: overrides.bareReceiverAlertsPerSecond,
            cpuSeconds: null,
            databaseCpuSeconds: null,
          },
    receiverRatio: overrides.receiverRatio === undefined ? 0.7 : overrides.receiverRatio,
    receiverRatioByRound: null,
  };
}

describe('judgeTargets', () => {
  it('passes a run that meets every target', () => {
    const verdicts = judgeTargets([
      row({ alertCount: 10, concurrency: 8 }),
      row({ alertCount: 10_000, concurrency: 1, max: 900 }),
    ]);
    expect(verdicts.map((v) => v.pass)).toEqual([true, true, true, true, true, true]);
  });

  it('misses each target on its own figure and says by how much', () => {
    const verdicts = judgeTargets([
      row({ alertCount: 10, concurrency: 8, notificationsPerSecond: 480, p99: 51 }),
      row({ alertCount: 10_000, concurrency: 1, max: 1250, rssMb: 320 }),
      row({ alertCount: 1, concurrency: 1, ratio: 0.2, receiverRatio: 0.57 }),
      row({ alertCount: 100, concurrency: 1, ratio: 0.44 }),
    ]);
    expect(verdicts.map((v) => v.pass)).toEqual([false, false, false, false, false, false]);
    expect(verdicts.map((v) => v.measured)).toEqual([
      '1.25 s',
      '480/s',
      '51.0 ms',
      'worst 0.57 (1-alert notifications, concurrency 1); 3/4 rows pass',
      'worst 0.44 (100-alert notifications, concurrency 1); 1/2 rows pass',
      '320 MB (10,000-alert notifications, concurrency 1)',
    ]);
  });

  it('judges the ratio to the raw insert only from 100 alerts per notification, the bare-receiver ratio on every row', () => {
    const verdicts = judgeTargets([
      row({ alertCount: 1, concurrency: 8, ratio: 0.3, receiverRatio: 0.61 }),
      row({ alertCount: 10, concurrency: 8, ratio: 0.4 }),
      row({ alertCount: 100, concurrency: 8, ratio: 0.5 }),
    ]);
    expect(verdicts.find((v) => v.target.includes('raw insert'))).toMatchObject({
      measured: 'worst 0.50 (100-alert notifications, concurrency 8); 1/1 rows pass',
      pass: true,
    });
    expect(verdicts.find((v) => v.target.includes('bare receiver'))).toMatchObject({
      measured: 'worst 0.61 (1-alert notifications, concurrency 8); 3/3 rows pass',
      pass: true,
    });
  });

  it('judges the Postgres server only: figures of the embedded one leave the targets not measured', () => {
    const verdicts = judgeTargets([
      row({ backend: 'embedded', alertCount: 10, concurrency: 8, ratio: null, receiverRatio: null }),
    ]);
    expect(verdicts.every((v) => v.pass === null)).toBe(true);
  });
});
