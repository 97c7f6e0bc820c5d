import { describe, expect, it } from 'vitest';
import { latestValues, toAlignedData } from './chart-data.js';

const series = [
  {
    id: 1,
    metric: { a: '1' },
    points: [
      [10, 1],
      [20, NaN],
      [30, 3],
    ] as [number, number][],
  },
  {
    id: 2,
    metric: { a: '2' },
    points: [
      [20, 5],
      [40, Infinity],
    ] as [number, number][],
  },
];

describe('toAlignedData', () => {
  it('aligns series on the union of their timestamps, with gaps where a point is missing or not drawable', () => {
    expect(toAlignedData(series)).toEqual([
      [10, 20, 30, 40],
      [1, null, 3, null],
      [null, 5, null, null],
    ]);
  });

  it('gives an empty x column for no series', () => {
    expect(toAlignedData([])).toEqual([[]]);
  });
});

describe('latestValues', () => {
  it("takes each series' newest point, skipping series without any", () => {
    const rows = latestValues([...series, { id: 3, metric: {}, points: [] }]);
    expect(rows.map((r) => [r.series.id, r.at, r.value])).toEqual([
      [1, 30, 3],
      [2, 40, Infinity],
    ]);
  });
});
