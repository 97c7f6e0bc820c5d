import { describe, expect, it } from 'vitest';
import { parsePrometheusDuration } from './duration.js';

describe('parsePrometheusDuration', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['1d', 86_400],
    ['2w', 1_209_600],
    ['1y', 31_536_000],
    ['1m500ms', 60.5],
    ['0', 0],
    ['0s', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parsePrometheusDuration(text)).toBe(seconds);
  });

  it.each(['', '5', '1.5h', '30m1h', '1h1h', '5 m', '-5m', '5M', 'ms'])('%j is not a duration', (text) => {
    expect(parsePrometheusDuration(text)).toBeNull();
  });
});
