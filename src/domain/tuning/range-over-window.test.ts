import { describe, expect, it } from 'vitest';
import type { QueryClient } from '../../prometheus/client.js';
import { POINTS_PER_CHUNK, rangeOverWindow } from './range-over-window.js';

/** A stand-in answering every step with one sample per series, recording the queries and how many ran at once. */
function fakeClient() {
  const calls: { start: number; end: number; step: number }[] = [];
  let running = 0;
  let peak = 0;
  const client: QueryClient = {
    name: 'fake',
    instant: () => Promise.reject(new Error('not used')),
    async range({ start, end, step }) {
      calls.push({ start, end, step });
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      const values: [number, number][] = [];
      for (let t = start; t <= end; t += step) values.push([t, 1]);
      return {
        resultType: 'matrix',
        series: [{ metric: { s: 'a' }, values }],
        truncated: false,
        totalSeries: 1,
        warnings: [],
      };
    },
  };
  return { client, calls, peak: () => peak };
}

describe('rangeOverWindow', () => {
  it('splits a window into aligned chunks under the 11,000-point limit and joins them back per series', async () => {
    const { client, calls } = fakeClient();
    const step = 60;
    const points = 25_001;
    const result = await rangeOverWindow(client, 'x', { start: 0, end: (points - 1) * step, step });
    expect(calls.map((c) => (c.end - c.start) / step + 1)).toEqual([POINTS_PER_CHUNK, POINTS_PER_CHUNK, 5_001]);
    expect(calls.every((c) => c.start % step === 0 && (c.end - c.start) / step + 1 <= 11_000)).toBe(true);
    const times = result.series[0]!.values.map(([t]) => t);
    expect(times).toHaveLength(points);
    expect(new Set(times).size).toBe(points);
  });

  it('runs at most the given number of chunks at once', async () => {
    const { client, peak } = fakeClient();
    await rangeOverWindow(client, 'x', { start: 0, end: 10 * POINTS_PER_CHUNK * 60, step: 60 }, { concurrency: 2 });
    expect(peak()).toBe(2);
  });
});
