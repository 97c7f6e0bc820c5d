import { describe, expect, it } from 'vitest';
import {
  durationMs,
  fieldTarget,
  formatMatcher,
  matcherRow,
  operatorOf,
  prefilledRows,
  toApiMatcher,
} from './silences-draft.js';

describe('a silence draft', () => {
  it('starts from the labels every alert shares, alertname first', () => {
    const rows = prefilledRows([
      { job: 'node', alertname: 'DiskFull', instance: 'db-1' },
      { job: 'node', alertname: 'DiskFull', instance: 'db-2' },
    ]);
    expect(rows.map((r) => [r.name, r.operator, r.value])).toEqual([
      ['alertname', '=', 'DiskFull'],
      ['job', '=', 'node'],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
  });

  it.each([
    ['=', { isRegex: false, isEqual: true }],
    ['!=', { isRegex: false, isEqual: false }],
    ['=~', { isRegex: true, isEqual: true }],
    ['!~', { isRegex: true, isEqual: false }],
  ] as const)('sends %s as Alertmanager writes it, and reads it back', (operator, flags) => {
    const matcher = toApiMatcher(matcherRow(' instance ', 'db-.*', operator));
    expect(matcher).toEqual({ name: 'instance', value: 'db-.*', ...flags });
    expect(operatorOf(matcher)).toBe(operator);
    expect(formatMatcher(matcher)).toBe(`instance${operator}"db-.*"`);
  });

  it('reads Prometheus durations and nothing else', () => {
    expect(durationMs('2h30m')).toBe(9_000_000);
    expect(durationMs('1d')).toBe(86_400_000);
    expect(durationMs(' 90s ')).toBe(90_000);
    expect(durationMs('2 hours')).toBeNull();
    expect(durationMs('')).toBeNull();
  });

  it.each([
    ['matchers[2].value', { kind: 'row', index: 2, part: 'value' }],
    ['matchers[0].name', { kind: 'row', index: 0, part: 'name' }],
    ['matchers', { kind: 'matchers' }],
    ['duration', { kind: 'duration' }],
    ['comment', { kind: 'comment' }],
    [undefined, { kind: 'form' }],
  ])('puts the API message for %s next to %j', (field, target) => {
    expect(fieldTarget(field)).toEqual(target);
  });
});
