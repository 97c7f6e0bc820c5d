import { describe, expect, it } from 'vitest';
import { axisIncrements, yRange } from './axis-scale.js';

describe('yRange', () => {
  it('starts the axis of data from (or near) 0 at exactly 0, with room above the data', () => {
    expect(yRange(0, 1.5e9, null)).toEqual([0, 1.65e9]);
    expect(yRange(0.001, 0.006, null)[0]).toBe(0);
  });

  it('keeps the range of data far from 0', () => {
    const [min, max] = yRange(0.15, 0.25, null);
    expect(min).toBeCloseTo(0.14);
    expect(max).toBeCloseTo(0.26);
  });

  it('gives an all-zero series a small axis, not 0–100', () => {
    expect(yRange(0, 0, null)).toEqual([0, 1]);
  });

  it('keeps a flat non-zero series in the middle of a range of its own size', () => {
    const [min, max] = yRange(100, 100, null);
    expect(min).toBeCloseTo(90);
    expect(max).toBeCloseTo(110);
  });

  it('keeps the threshold in view', () => {
    expect(yRange(0, 10, 50)).toEqual([0, 55]);
    expect(yRange(-5, -1, null)).toEqual([-5.4, 0]);
    expect(yRange(-5, -4, null)).toEqual([-5.1, -3.9]);
  });

  it('has an axis for no data', () => {
    expect(yRange(Number.NaN, Number.NaN, null)).toEqual([0, 1]);
    expect(yRange(Number.NaN, Number.NaN, 3)).toEqual([2.7, 3.3]);
  });
});

describe('axisIncrements', () => {
  it('steps a byte axis in powers of two of KiB/MiB/GiB', () => {
    const incrs = axisIncrements('bytes');
    expect(incrs).toContain(256 * 1024 ** 2);
    expect(incrs).toContain(1024 ** 3);
    expect(incrs).not.toContain(500e6);
  });

  it("leaves other axes to uPlot's 1·2·5 × 10ⁿ", () => {
    expect(axisIncrements('ops')).toBeUndefined();
  });
});
