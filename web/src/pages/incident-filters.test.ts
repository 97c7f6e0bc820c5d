import { describe, expect, it } from 'vitest';
import { filterFromQuery, filterToQuery } from './incident-filters.js';

describe('incident filters in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const filter = { state: 'acknowledged' as const, severity: 'critical', alertname: 'DiskFull', q: 'db-1' };
    const query = filterToQuery(filter);
    expect(query).toBe('?state=acknowledged&severity=critical&alertname=DiskFull&q=db-1');
    expect(filterFromQuery(new URLSearchParams(query))).toEqual(filter);
  });

  it('leaves defaults out, and reads an unknown state as all', () => {
    expect(filterToQuery({ state: 'all', severity: '', alertname: '', q: '' })).toBe('');
    expect(filterFromQuery(new URLSearchParams('state=bogus'))).toEqual({
      state: 'all',
      severity: '',
      alertname: '',
      q: '',
    });
  });
});
