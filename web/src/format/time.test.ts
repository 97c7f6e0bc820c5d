import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatPromDuration } from './time.js';

describe('formatDuration', () => {
  it('keeps two units at most, rounding down', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59_999)).toBe('59s');
    expect(formatDuration(12 * 60_000 + 59_000)).toBe('12m');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000 + 30_000)).toBe('3h 5m');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('2d 4h');
  });

  it('treats a negative span (clock skew) as zero', () => {
    expect(formatDuration(-5_000)).toBe('0s');
  });
});

describe('formatAge', () => {
  const now = new Date('2026-11-22T08:00:00Z');
  it('says how long ago, or "just now" within ten seconds', () => {
    expect(formatAge(new Date('2026-11-22T07:59:55Z'), now)).toBe('just now');
    expect(formatAge(new Date('2026-11-22T07:48:00Z'), now)).toBe('12m ago');
  });

  it('says "in" for a time ahead of the browser clock', () => {
    expect(formatAge(new Date('2026-11-22T08:05:00Z'), now)).toBe('in 5m');
  });
});

describe('formatPromDuration', () => {
  it('writes seconds the way Prometheus durations read', () => {
    expect(formatPromDuration(300)).toBe('5m');
    expect(formatPromDuration(90)).toBe('1m30s');
    expect(formatPromDuration(86_400 + 3_600)).toBe('1d1h');
    expect(formatPromDuration(1.86)).toBe('2s');
    expect(formatPromDuration(0)).toBe('0s');
  });
});
