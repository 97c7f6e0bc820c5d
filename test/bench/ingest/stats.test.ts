import { describe, expect, it } from 'vitest';
import { percentile, throughput } from './stats.js';

describe('percentile', () => {
  it('returns an observed sample by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([3, 7], 50)).toBe(3);
    expect(percentile([3, 7], 99)).toBe(7);
    expect(percentile([5], 0)).toBe(5);
  });

  it('is NaN without samples rather than a made-up figure', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('throughput', () => {
  it('counts notifications and alerts over the wall-clock time', () => {
    const result = throughput({ latenciesMs: [40, 10, 30, 20], wallMs: 2000 }, 10);
    expect(result).toEqual({
      notifications: 4,
      seconds: 2,
      notificationsPerSecond: 2,
      alertsPerSecond: 20,
      latencyMs: { p50: 20, p99: 40, max: 40 },
    });
  });
});
