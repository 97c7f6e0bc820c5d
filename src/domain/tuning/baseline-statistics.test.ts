import { describe, expect, it } from 'vitest';
import { baselineStatistics } from './baseline-statistics.js';

const columns = (list: number[], every = 60, from = 0) => ({
  times: list.map((_, i) => from + i * every),
  values: list,
});

describe('baselineStatistics', () => {
  it('computes quantiles by interpolating between ranks, as Prometheus does, plus max and mean', () => {
    const { overall } = baselineStatistics({
      series: [{ labels: {}, ...columns([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) }],
      start: 0,
      end: 600,
      step: 60,
    });
    expect(overall).toMatchObject({ samples: 11, p50: 6, p90: 10, max: 11, mean: 6, coverage: 1 });
    expect(overall.p95).toBeCloseTo(10.5);
    expect(overall.p5).toBeCloseTo(1.5);
  });

  it('gives the share of samples beyond the threshold, on the side the operator matches', () => {
    const input = { series: [{ labels: {}, ...columns([1, 2, 3, 4]) }], start: 0, end: 180, step: 60 };
    expect(baselineStatistics({ ...input, threshold: { operator: '>', value: 2 } }).overall.beyondThreshold).toBe(0.5);
    expect(baselineStatistics({ ...input, threshold: { operator: '<=', value: 1 } }).overall.beyondThreshold).toBe(
      0.25,
    );
  });

  it('reports coverage: the share of evaluation times with data, never a silently shorter window', () => {
    // Ten evaluation times, data at the last four only (say, retention ended there).
    const { overall, series } = baselineStatistics({
      series: [{ labels: { a: '1' }, ...columns([1, 1, 1, 1], 60, 360) }],
      start: 0,
      end: 540,
      step: 60,
    });
    expect(overall.coverage).toBe(0.4);
    expect(series[0]!.coverage).toBe(0.4);
  });

  it('leaves out excluded periods, from the figures and from coverage alike', () => {
    const result = baselineStatistics({
      series: [{ labels: {}, ...columns([1, 1, 100, 100, 1, 1]) }],
      start: 0,
      end: 300,
      step: 60,
      exclude: [{ start: 120, end: 240 }],
    });
    expect(result).toMatchObject({ evaluations: 4, overall: { max: 1, samples: 4, coverage: 1 } });
  });

  it('pools every series for the overall figures and keeps each series apart', () => {
    const result = baselineStatistics({
      series: [
        { labels: { s: 'a' }, ...columns([1, 1]) },
        { labels: { s: 'b' }, ...columns([3, 3]) },
      ],
      start: 0,
      end: 60,
      step: 60,
    });
    expect(result.overall).toMatchObject({ mean: 2, samples: 4 });
    expect(result.series.map((s) => [s.labels.s, s.mean])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });

  it('has no figures, rather than zeros, without samples', () => {
    expect(baselineStatistics({ series: [], start: 0, end: 60, step: 60 }).overall).toMatchObject({
      samples: 0,
      p95: null,
      mean: null,
      coverage: 0,
    });
  });
});
