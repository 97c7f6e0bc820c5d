import { describe, expect, it } from 'vitest';
import { medianRound, type Round, roundFigure, roundOrder } from './rounds.js';
import type { Throughput } from './stats.js';

const MiB = 1024 * 1024;

const figures = (alertsPerSecond: number, max = 30): Throughput => ({
  notifications: 100,
  seconds: 100 / alertsPerSecond,
  notificationsPerSecond: alertsPerSecond,
  alertsPerSecond,
  latencyMs: { p50: 5, p99: 20, max },
});

function round(webhook: number, bareReceiver: number | null, { rssMb = 150, max = 30 } = {}): Round {
  return {
    webhook: {
      ...figures(webhook, max),
      peakRssBytes: rssMb * MiB,
      cpuSeconds: 0.05,
      idleRssBytes: 100 * MiB,
      databaseCpuSeconds: null,
    },
    baseline: bareReceiver === null ? null : figures(2 * bareReceiver),
    bareReceiver:
      bareReceiver === null ? null : { ...figures(bareReceiver), cpuSeconds: null, databaseCpuSeconds: null },
  };
}

describe('medianRound', () => {
  it('stands for the row by the round of the median ratio, its webhook and receivers measured back to back', () => {
    // Alone, the medians of each would be 1,300 and 2,000 (0.65), from different rounds.
    const rounds = [round(1_400, 2_400), round(1_100, 2_000), round(1_300, 1_900, { rssMb: 260, max: 900 })];
    expect(rounds.map(roundFigure).map((r) => r.toFixed(2))).toEqual(['0.58', '0.55', '0.68']);
    const median = medianRound(rounds);
    expect(median.webhook.alertsPerSecond).toBe(1_400);
    expect(median.bareReceiver?.alertsPerSecond).toBe(2_400);
    expect(median.baseline?.alertsPerSecond).toBe(4_800);
    // The app's peak RSS and slowest answer: the highest of every round.
    expect(median.webhook.peakRssBytes).toBe(260 * MiB);
    expect(median.webhook.latencyMs).toEqual({ p50: 5, p99: 20, max: 900 });
  });

  it("without a bare receiver (embedded rows) goes by the webhook's alerts/s; an even count takes the lower middle", () => {
    const rounds = [round(900, null), round(1_000, null), round(800, null), round(1_100, null)];
    expect(medianRound(rounds).webhook.alertsPerSecond).toBe(900);
    expect(medianRound([round(700, null)]).webhook.alertsPerSecond).toBe(700);
    expect(() => medianRound([])).toThrow('no rounds');
  });
});

describe('roundOrder', () => {
  it('runs the webhook first in even rounds and last in odd ones, the others mirrored, so a drift falls on both sides', () => {
    const steps = { webhook: 'webhook', others: ['baseline', 'bare receiver'] };
    expect(roundOrder(0, steps)).toEqual(['webhook', 'baseline', 'bare receiver']);
    expect(roundOrder(1, steps)).toEqual(['bare receiver', 'baseline', 'webhook']);
    expect(roundOrder(2, steps)).toEqual(['webhook', 'baseline', 'bare receiver']);
    expect(roundOrder(1, { webhook: 'webhook', others: [] })).toEqual(['webhook']);
  });
});
