import { describe, expect, it } from 'vitest';
import type { QueryClient } from './client.js';
import type { DatasourceLookup } from './datasources.js';
import { PrometheusError } from './errors.js';
import { observeQueries, type QueryObservation } from './observed-datasources.js';
import type { QueryResult } from './types.js';

const RESULT: QueryResult = { resultType: 'vector', series: [], truncated: false, totalSeries: 0, warnings: [] };

/** A lookup of one datasource, "default", whose queries settle as `settle` says. */
function lookupOf(settle: () => Promise<QueryResult>): DatasourceLookup {
  const client: QueryClient = {
    name: 'default',
    instant: settle,
    range: settle,
    rangeColumns: () => Promise.reject(new Error('not used')),
  };
  return {
    get(name = 'default') {
      if (name !== 'default') throw new PrometheusError('unknown_datasource', `unknown datasource "${name}"`);
      return client;
    },
  };
}

function observing(settle: () => Promise<QueryResult>) {
  const seen: QueryObservation[] = [];
  return { lookup: observeQueries(lookupOf(settle), (o) => seen.push(o)), seen };
}

describe('observeQueries', () => {
  it('passes answers through and observes each query by kind', async () => {
    const { lookup, seen } = observing(async () => RESULT);
    expect(await lookup.get().instant({ query: 'up' })).toBe(RESULT);
    expect(await lookup.get('default').range({ query: 'up', start: 0, end: 60, step: 15 })).toBe(RESULT);
    expect(seen).toEqual([
      { datasource: 'default', kind: 'instant', outcome: 'ok', seconds: expect.any(Number) },
      { datasource: 'default', kind: 'range', outcome: 'ok', seconds: expect.any(Number) },
    ]);
    expect(seen.every((o) => o.seconds >= 0)).toBe(true);
  });

  it('rethrows a failure and observes it by its kind, or as "error" when it is not a PrometheusError', async () => {
    const timeout = new PrometheusError('timeout', 'datasource "default" did not answer within 200 ms');
    const failing = observing(() => Promise.reject(timeout));
    await expect(failing.lookup.get().range({ query: 'up', start: 0, end: 60, step: 15 })).rejects.toBe(timeout);
    const bug = new TypeError('a bug');
    const buggy = observing(() => Promise.reject(bug));
    await expect(buggy.lookup.get().instant({ query: 'up' })).rejects.toBe(bug);
    expect([...failing.seen, ...buggy.seen].map((o) => [o.kind, o.outcome])).toEqual([
      ['range', 'timeout'],
      ['instant', 'error'],
    ]);
  });

  it('observes nothing for a datasource that is not configured: no query was sent', () => {
    const { lookup, seen } = observing(async () => RESULT);
    expect(() => lookup.get('mimir')).toThrow('unknown datasource "mimir"');
    expect(seen).toEqual([]);
  });

  it('wraps each client once', () => {
    const { lookup } = observing(async () => RESULT);
    expect(lookup.get('default')).toBe(lookup.get());
  });
});
