import { describe, expect, it } from 'vitest';
import { checkExpression } from './check-expression.js';

describe('checkExpression', () => {
  it.each([
    'sum by (job) (rate(x[5m])) > 0.05',
    'quantile_over_time(0.9, x[5m])',
    'rate((x[5m]))',
    'max_over_time(x[1h:5m])',
    'rate(x[5m] offset 1h)',
    'absent_over_time(up{job="a"}[10m])',
  ])('accepts %s', (expr) => {
    expect(checkExpression(expr)).toEqual([]);
  });

  it('reports the first syntax error with its line:column inside the expression', () => {
    expect(checkExpression('sum(\n  rate(x[5m]) +\n)')).toEqual([
      { code: 'promql-syntax', offset: 21, message: '3:1: unexpected ")"' },
    ]);
  });

  it('reports an empty expression', () => {
    expect(checkExpression('# only a comment')).toEqual([
      { code: 'promql-syntax', offset: 16, message: '1:17: unexpected end of query' },
    ]);
  });

  it.each([
    ['rate(up)', 5, 'rate() needs a range vector such as metric[5m] as argument 1, got "up"'],
    [
      'quantile_over_time(0.9, x)',
      24,
      'quantile_over_time() needs a range vector such as metric[5m] as argument 2, got "x"',
    ],
    ['sum(increase(sum(x)))', 13, 'increase() needs a range vector such as metric[5m] as argument 1, got "sum(x)"'],
  ])('reports %s: an instant vector where a range vector is required', (expr, offset, message) => {
    expect(checkExpression(expr)).toEqual([{ code: 'promql-type', offset, message: `1:${offset + 1}: ${message}` }]);
  });
});
