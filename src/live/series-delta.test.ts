import { describe, expect, it } from 'vitest';
import { SeriesTracker } from './series-delta.js';

const a = { __name__: 'up', job: 'a' };
const b = { __name__: 'up', job: 'b' };

describe('SeriesTracker', () => {
  it('sends everything first, then only the points that are new', () => {
    const tracker = new SeriesTracker();
    const first = tracker.update([
      {
        metric: a,
        values: [
          [10, 1],
          [20, 1],
        ],
      },
    ]);
    expect(first).toEqual({
      full: [
        {
          id: 1,
          metric: a,
          values: [
            [10, 1],
            [20, 1],
          ],
        },
      ],
      changed: [
        {
          id: 1,
          metric: a,
          values: [
            [10, 1],
            [20, 1],
          ],
        },
      ],
      removed: [],
    });
    const second = tracker.update([
      {
        metric: a,
        values: [
          [20, 1],
          [30, 0],
        ],
      },
    ]);
    expect(second.changed).toEqual([{ id: 1, values: [[30, 0]] }]);
    expect(second.full).toEqual([
      {
        id: 1,
        metric: a,
        values: [
          [20, 1],
          [30, 0],
        ],
      },
    ]);
  });

  it('resends an older point whose value changed (a late sample)', () => {
    const tracker = new SeriesTracker();
    tracker.update([
      {
        metric: a,
        values: [
          [10, 1],
          [20, 1],
        ],
      },
    ]);
    expect(
      tracker.update([
        {
          metric: a,
          values: [
            [10, 1],
            [20, 2],
            [30, 2],
          ],
        },
      ]).changed,
    ).toEqual([
      {
        id: 1,
        values: [
          [20, 2],
          [30, 2],
        ],
      },
    ]);
  });

  it('names series that appeared (with labels) and vanished (by id), whatever the label order', () => {
    const tracker = new SeriesTracker();
    tracker.update([
      { metric: a, values: [[10, 1]] },
      { metric: b, values: [[10, 1]] },
    ]);
    const reordered = { job: 'a', __name__: 'up' };
    const c = { __name__: 'up', job: 'c' };
    const next = tracker.update([
      { metric: reordered, values: [[10, 1]] },
      { metric: c, values: [[10, 5]] },
    ]);
    expect(next.changed).toEqual([{ id: 3, metric: c, values: [[10, 5]] }]);
    expect(next.removed).toEqual([2]);
  });

  it('writes NaN and infinities the way Prometheus does, and sees no change in a repeated NaN', () => {
    const tracker = new SeriesTracker();
    const first = tracker.update([
      {
        metric: a,
        values: [
          [10, NaN],
          [20, Infinity],
          [30, -Infinity],
        ],
      },
    ]);
    expect(first.full[0]!.values).toEqual([
      [10, 'NaN'],
      [20, '+Inf'],
      [30, '-Inf'],
    ]);
    expect(
      tracker.update([
        {
          metric: a,
          values: [
            [10, NaN],
            [20, Infinity],
            [30, -Infinity],
          ],
        },
      ]).changed,
    ).toEqual([]);
  });
});
