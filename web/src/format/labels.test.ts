import { describe, expect, it } from 'vitest';
import { commonLabels, formatMatchers, seriesNames } from './labels.js';

describe('formatMatchers', () => {
  it('quotes and escapes values the way Alertmanager and PromQL read them', () => {
    expect(formatMatchers({ job: 'api', alertname: 'X' })).toBe('{alertname="X", job="api"}');
    expect(formatMatchers({ path: 'C:\\tmp "x"\nnext' })).toBe('{path="C:\\\\tmp \\"x\\"\\nnext"}');
  });
});

describe('commonLabels', () => {
  it('keeps the labels every set carries with the same value', () => {
    expect(
      commonLabels([
        { a: '1', b: '2', c: '3' },
        { a: '1', b: '9', c: '3' },
      ]),
    ).toEqual({ a: '1', c: '3' });
    expect(commonLabels([])).toEqual({});
  });
});

describe('seriesNames', () => {
  it('names series by the labels that tell them apart', () => {
    const names = seriesNames([
      { __name__: 'http_requests_total', job: 'api', route: '/pay' },
      { __name__: 'http_requests_total', job: 'api', route: '/cart' },
    ]);
    expect(names).toEqual(['{route="/pay"}', '{route="/cart"}']);
  });

  it('gives a lone series its whole label set, and a label-less one a plain name', () => {
    expect(seriesNames([{ __name__: 'up', job: 'api' }])).toEqual(['up{job="api"}']);
    expect(seriesNames([{}])).toEqual(['value']);
  });
});
