import { describe, expect, it } from 'vitest';
import type { DataFrame } from './protocol.js';
import { applyDataFrame, stateFromSnapshot } from './series-state.js';

const frame = (overrides: Partial<DataFrame>): DataFrame => ({
  type: 'data',
  sub: 's1',
  delta: false,
  resultType: 'matrix',
  from: 100,
  to: 130,
  step: 10,
  series: [],
  truncated: false,
  totalSeries: 0,
  ...overrides,
});

const full = frame({
  series: [
    {
      id: 1,
      metric: { route: '/pay' },
      values: [
        [100, 1],
        [110, 2],
        [120, 3],
        [130, 'NaN'],
      ],
    },
    {
      id: 2,
      metric: { route: '/cart' },
      values: [
        [100, 5],
        [130, '+Inf'],
      ],
    },
  ],
  totalSeries: 2,
});

describe('applyDataFrame', () => {
  it('takes a full frame as the whole state, special values as numbers', () => {
    const state = applyDataFrame(null, full);
    expect(state.series.map((s) => s.metric.route)).toEqual(['/pay', '/cart']);
    expect(state.series[0]!.points).toEqual([
      [100, 1],
      [110, 2],
      [120, 3],
      [130, NaN],
    ]);
    expect(state.series[1]!.points[1]).toEqual([130, Infinity]);
    expect(state).toMatchObject({ from: 100, to: 130, step: 10, truncated: false, totalSeries: 2, warnings: [] });
  });

  it('merges a delta: appends new points, corrects late ones, adds and removes series, slides the window', () => {
    const before = applyDataFrame(null, full);
    const after = applyDataFrame(
      before,
      frame({
        delta: true,
        from: 110,
        to: 140,
        series: [
          {
            id: 1,
            values: [
              [120, 30],
              [140, 4],
            ],
          },
          { id: 3, metric: { route: '/login' }, values: [[140, 9]] },
        ],
        removed: [2],
        totalSeries: 2,
      }),
    );
    expect(after.series.map((s) => s.id)).toEqual([1, 3]);
    expect(after.series[0]!.points).toEqual([
      [110, 2],
      [120, 30],
      [130, NaN],
      [140, 4],
    ]);
    expect(after.series[1]).toEqual({ id: 3, metric: { route: '/login' }, points: [[140, 9]] });
    expect(after).toMatchObject({ from: 110, to: 140 });
    // The previous state is left as it was.
    expect(before.series[0]!.points).toHaveLength(4);
  });

  it('keeps untouched series as they are, only dropping what left the window', () => {
    const before = applyDataFrame(null, full);
    const after = applyDataFrame(
      before,
      frame({ delta: true, from: 120, to: 140, series: [{ id: 1, values: [[140, 5]] }] }),
    );
    expect(after.series[1]!.points).toEqual([[130, Infinity]]);
  });

  it('starts over on a full frame, whatever it held', () => {
    const before = applyDataFrame(null, full);
    const after = applyDataFrame(
      before,
      frame({ series: [{ id: 7, metric: {}, values: [[100, 1]] }], totalSeries: 1 }),
    );
    expect(after.series).toEqual([{ id: 7, metric: {}, points: [[100, 1]] }]);
  });
});

describe('stateFromSnapshot', () => {
  it('reads a stored snapshot as a static chart state', () => {
    const state = stateFromSnapshot({
      start: 0,
      end: 60,
      step: null,
      series: [{ metric: { job: 'api' }, values: [[60, '-Inf']] }],
    });
    expect(state).toEqual({
      from: 0,
      to: 60,
      step: 0,
      series: [{ id: 1, metric: { job: 'api' }, points: [[60, -Infinity]] }],
      truncated: false,
      totalSeries: 1,
      warnings: [],
    });
  });
});
