import { describe, expect, it } from 'vitest';
import { chartSeries, chartStep, MAX_CHART_POINTS } from './chart-series.js';

describe('chartStep', () => {
  it('is the evaluation interval while the window fits the chart', () => {
    expect(chartStep(86_400, 60)).toBe(60);
    expect(chartStep(MAX_CHART_POINTS * 60, 60)).toBe(60);
  });

  it('is a multiple of the interval that keeps a week under the point budget', () => {
    const step = chartStep(7 * 86_400, 60);
    expect(step % 60).toBe(0);
    expect((7 * 86_400) / step).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect((7 * 86_400) / (step - 60)).toBeGreaterThan(MAX_CHART_POINTS);
  });
});

describe('chartSeries', () => {
  it('reads spelled-out special values as numbers', () => {
    expect(
      chartSeries([
        {
          metric: { job: 'api' },
          values: [
            [1, 0.5],
            [2, 'NaN'],
            [3, '+Inf'],
          ],
        },
      ]),
    ).toEqual([
      {
        id: 0,
        metric: { job: 'api' },
        points: [
          [1, 0.5],
          [2, Number.NaN],
          [3, Number.POSITIVE_INFINITY],
        ],
      },
    ]);
  });
});
