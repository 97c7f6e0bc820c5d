import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types.js';
import { cellRuns, chartState, type ChartOutput } from './cell-runs.js';

const event = (id: number, type: string, data: Record<string, unknown>) =>
  ({ id, type, at: `2026-12-04T10:0${id}:00.000Z`, actor: 'alice', data }) as unknown as TimelineEvent;

describe('cellRuns', () => {
  it("keeps the cell's own runs, newest first", () => {
    const timeline = [
      event(1, 'cell.run', { cellId: 'top', ok: true }),
      event(2, 'note.added', { cellId: 'top' }),
      event(3, 'cell.run', { cellId: 'other', ok: true }),
      event(4, 'cell.run', { cellId: 'top', ok: false }),
    ];
    expect(cellRuns(timeline, 'top').map((run) => [run.id, run.data.ok])).toEqual([
      [4, false],
      [1, true],
    ]);
  });
});

describe('chartState', () => {
  it('spans the points, a null or non-numeric value becoming a gap', () => {
    const output = {
      kind: 'chart',
      series: [
        {
          metric: { route: '/a' },
          values: [
            [100, 1],
            [160, null],
          ],
        },
        { metric: { route: '/b' }, values: [[130, 'x']] },
      ],
      threshold: 0.5,
    } as ChartOutput;
    const state = chartState(output);
    expect([state.from, state.to]).toEqual([100, 160]);
    expect(state.series).toEqual([
      {
        id: 1,
        metric: { route: '/a' },
        points: [
          [100, 1],
          [160, Number.NaN],
        ],
      },
      { id: 2, metric: { route: '/b' }, points: [[130, Number.NaN]] },
    ]);
  });
});
