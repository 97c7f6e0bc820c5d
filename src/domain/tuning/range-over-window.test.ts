import { describe, expect, it } from 'vitest';
import type { QueryClient } from '../../prometheus/client.js';
import { FIRST_CHUNK_POINTS, POINTS_PER_CHUNK, rangeOverWindow, SAMPLES_PER_CHUNK } from './range-over-window.js';

/** A stand-in answering every step with one sample per series, recording the queries and how many ran at once. */
function fakeClient(seriesCount = 1) {
  const calls: { start: number; end: number; step: number }[] = [];
  let running = 0;
  let peak = 0;
  const client: QueryClient = {
    name: 'fake',
    instant: () => Promise.reject(new Error('not used')),
    range: () => Promise.reject(new Error('not used')),
    async rangeColumns({ start, end, step }) {
      calls.push({ start, end, step });
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      const times: number[] = [];
      for (let t = start; t <= end; t += step) times.push(t);
      return {
        series: Array.from({ length: seriesCount }, (_, s) => ({
          metric: { s: String(s) },
          times: Float64Array.from(times),
          values: new Float64Array(times.length).fill(s),
        })),
        truncated: false,
        totalSeries: seriesCount,
        warnings: [],
      };
    },
  };
  return { client, calls, peak: () => peak };
}

const pointsOf = (call: { start: number; end: number; step: number }) => (call.end - call.start) / call.step + 1;

describe('rangeOverWindow', () => {
  it('splits a window into aligned chunks under the 11,000-point limit and joins them back per series', async () => {
    const { client, calls } = fakeClient();
    const step = 60;
    const points = 25_001;
    const result = await rangeOverWindow(client, 'x', { start: 0, end: (points - 1) * step, step });
    const ordered = [...calls].sort((a, b) => a.start - b.start);
    expect(ordered.every((c) => c.start % step === 0 && pointsOf(c) <= 11_000)).toBe(true);
    expect(ordered.every((c, i) => i === 0 || c.start === ordered[i - 1]!.end + step)).toBe(true);
    expect(ordered.reduce((sum, c) => sum + pointsOf(c), 0)).toBe(points);
    // One sparse series: after the first answers, chunks grow to the most a query may ask.
    expect(ordered.map(pointsOf)).toEqual([
      FIRST_CHUNK_POINTS,
      FIRST_CHUNK_POINTS,
      POINTS_PER_CHUNK,
      POINTS_PER_CHUNK,
      3_001,
    ]);
    const times = Array.from(result.series[0]!.times);
    expect(times).toEqual(Array.from({ length: points }, (_, i) => i * step));
  });

  it('sizes chunks from the answers so far, so that no answer holds much more than SAMPLES_PER_CHUNK samples', async () => {
    const { client, calls } = fakeClient(400);
    const step = 60;
    const points = 10_081;
    const result = await rangeOverWindow(client, 'x', { start: 0, end: (points - 1) * step, step });
    const later = calls.slice(2);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((c) => pointsOf(c) * 400 <= SAMPLES_PER_CHUNK)).toBe(true);
    expect(result.series).toHaveLength(400);
    expect(result.series.every((s, i) => s.times.length === points && s.values.every((v) => v === i))).toBe(true);
  });

  it('runs at most the given number of chunks at once', async () => {
    const { client, peak } = fakeClient();
    await rangeOverWindow(client, 'x', { start: 0, end: 10 * POINTS_PER_CHUNK * 60, step: 60 }, { concurrency: 2 });
    expect(peak()).toBe(2);
  });
});
