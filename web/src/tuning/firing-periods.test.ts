import { describe, expect, it } from 'vitest';
import { firingPeriods } from './firing-periods.js';

const episode = (firedAt: number, resolvedAt: number | null, series = 'a') => ({
  labels: { series },
  activeAt: firedAt - 60,
  firedAt,
  resolvedAt,
});

describe('firingPeriods', () => {
  it('merges overlapping and touching episodes of different series into one period', () => {
    const periods = firingPeriods([episode(100, 200), episode(150, 300, 'b'), episode(300, 400, 'c')], {
      start: 0,
      end: 1000,
    });
    expect(periods).toEqual([{ start: 100, end: 400 }]);
  });

  it('keeps separate episodes apart, in time order', () => {
    expect(firingPeriods([episode(500, 600), episode(100, 200)], { start: 0, end: 1000 })).toEqual([
      { start: 100, end: 200 },
      { start: 500, end: 600 },
    ]);
  });

  it('runs an open episode to the window end and clips what lies outside the window', () => {
    expect(firingPeriods([episode(-50, 50), episode(900, null), episode(1200, 1300)], { start: 0, end: 1000 })).toEqual(
      [
        { start: 0, end: 50 },
        { start: 900, end: 1000 },
      ],
    );
  });
});
