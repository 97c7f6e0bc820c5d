import { describe, expect, it } from 'vitest';
import { chooseStep, MAX_POINTS_PER_SERIES, minimumStep, parseDuration } from './step.js';

const points = (range: number, step: number) => Math.floor(range / step) + 1;

describe('chooseStep', () => {
  it('picks a round step giving about the display budget', () => {
    expect(chooseStep(3_600)).toBe(10); // 6 s would give 600 points; 10 s is the next round step
    expect(chooseStep(3 * 3_600)).toBe(30);
    expect(chooseStep(7 * 86_400)).toBe(1_800);
    expect(chooseStep(3_600, null, 60)).toBe(60);
  });

  it('never goes below one second', () => {
    expect(chooseStep(60)).toBe(1);
    expect(chooseStep(0)).toBe(1);
  });

  it('goes to whole days beyond the round steps', () => {
    expect(chooseStep(1_000 * 86_400)).toBe(2 * 86_400);
  });

  it('keeps a requested step that fits', () => {
    expect(chooseStep(3_600, 15)).toBe(15);
  });

  it('raises a requested step that would exceed 11,000 points', () => {
    const range = 30 * 86_400;
    const step = chooseStep(range, 1);
    expect(step).toBe(minimumStep(range));
    expect(points(range, step)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it('never exceeds 11,000 points, whatever the range and budget', () => {
    for (const range of [1, 10_999, 11_000, 11_001, 86_400, 1e6, 123_456.789, 3.15e7]) {
      for (const budget of [1, 600, 11_000, 1e6]) {
        expect(points(range, chooseStep(range, null, budget)), `${range}/${budget}`).toBeLessThanOrEqual(
          MAX_POINTS_PER_SERIES,
        );
      }
      expect(points(range, chooseStep(range, 0.001))).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    }
  });

  it('rejects nonsense', () => {
    expect(() => chooseStep(-1)).toThrow(/range must be a non-negative/);
    expect(() => chooseStep(Number.NaN)).toThrow(RangeError);
    expect(() => chooseStep(60, 0)).toThrow(/step must be a positive/);
    expect(() => chooseStep(60, null, 0)).toThrow(/displayPoints/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['5m', 300],
    ['1h30m', 5_400],
    ['90s', 90],
    ['500ms', 0.5],
    ['1d', 86_400],
    ['30', 30],
    ['1.5', 1.5],
    [' 15s ', 15],
    ['0', 0],
    [30, 30],
    [0.25, 0.25],
  ] as const)('reads %j as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'five minutes', '5 m', '-5m', '1m1h', '5M', '1e3'])('rejects %j, saying what it expects', (text) => {
    expect(() => parseDuration(text)).toThrow(
      `"${text}" is not a duration: use seconds (30) or a Prometheus duration (30s, 5m, 1h30m)`,
    );
  });

  it.each([-1, Number.NaN, Infinity])('rejects %d seconds', (seconds) => {
    expect(() => parseDuration(seconds)).toThrow(/is not a duration/);
  });
});
