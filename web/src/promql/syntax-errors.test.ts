import { describe, expect, it } from 'vitest';
import { firstSyntaxError } from './syntax-errors.js';

describe('firstSyntaxError', () => {
  it('accepts valid PromQL, including comparisons and UTF-8 quoted names', () => {
    for (const query of [
      'sum by (job) (rate(http_requests_total[5m])) > 0.05',
      'up == bool 1',
      '{"utf8.metric", "label.with.dots"="v"}',
      '',
    ]) {
      expect(firstSyntaxError(query)).toBeNull();
    }
  });

  it('points at an unclosed bracket at the end of the query', () => {
    expect(firstSyntaxError('sum(up')).toMatchObject({
      from: 6,
      line: 1,
      column: 7,
      message: expect.stringContaining('unexpected end of query'),
    });
  });

  it('names the unexpected token and its line and column', () => {
    expect(firstSyntaxError('up +* 2')).toMatchObject({ line: 1, column: 5, message: 'unexpected "*"' });
    expect(firstSyntaxError('sum(\n  rate(x[5m]) +* 1)')).toMatchObject({
      line: 2,
      column: 16,
      message: 'unexpected "*"',
    });
  });
});
