import { describe, expect, it } from 'vitest';
import { formatValue } from './value.js';

describe('formatValue', () => {
  it('reads percentunit as a ratio and percent as already scaled', () => {
    expect(formatValue(0.0123, 'percentunit')).toBe('1.23%');
    expect(formatValue(42.5, 'percent')).toBe('42.5%');
  });

  it('picks a readable time unit for seconds and milliseconds', () => {
    expect(formatValue(0.00025, 's')).toBe('250µs');
    expect(formatValue(0.25, 's')).toBe('250ms');
    expect(formatValue(3.2, 's')).toBe('3.2s');
    expect(formatValue(90, 's')).toBe('1.5min');
    expect(formatValue(7200, 's')).toBe('2h');
    expect(formatValue(1500, 'ms')).toBe('1.5s');
  });

  it('scales bytes by 1024 and counts by 1000', () => {
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(3 * 1024 * 1024, 'bytes')).toBe('3 MiB');
    expect(formatValue(12_300, null)).toBe('12.3k');
    expect(formatValue(2_500_000, 'reqps')).toBe('2.5M req/s');
  });

  it('keeps an unknown unit after the number', () => {
    expect(formatValue(3, 'messages')).toBe('3 messages');
  });

  it('spells out the values Prometheus can return that are not numbers', () => {
    expect(formatValue(NaN, 's')).toBe('NaN');
    expect(formatValue(Infinity, null)).toBe('+Inf');
    expect(formatValue(-Infinity, null)).toBe('-Inf');
    expect(formatValue(null, null)).toBe('—');
  });
});
