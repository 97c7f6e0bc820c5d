import type { LoadResult } from './load.js';

export interface Throughput {
  notifications: number;
  seconds: number;
  notificationsPerSecond: number;
  alertsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

export function throughput(load: LoadResult, alertsPerNotification: number): Throughput {
  const seconds = load.wallMs / 1000;
  const notifications = load.latenciesMs.length;
  const sorted = [...load.latenciesMs].sort((a, b) => a - b);
  return {
    notifications,
    seconds,
    notificationsPerSecond: notifications / seconds,
    alertsPerSecond: (notifications * alertsPerNotification) / seconds,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN },
  };
}

/** Nearest-rank percentile of ascending samples: always a latency that was observed. */
export function percentile(ascending: number[], p: number): number {
  if (ascending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[Math.min(Math.max(rank, 1), ascending.length) - 1]!;
}
