import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrometheusUnreachableError, prometheusInstantQuery } from './prometheus-instant-query.js';
import { startFakePrometheus, type FakePrometheus } from '../../test/support/fake-prometheus.js';

// The check's adapter over the service's Prometheus client: series counted,
// rejections explained, an unreachable server stops the check.
let prometheus: FakePrometheus;
beforeAll(async () => {
  prometheus = await startFakePrometheus({ pathPrefix: '/prometheus' });
});
beforeEach(() => prometheus.reset());
afterAll(() => prometheus.close());

describe('prometheusInstantQuery', () => {
  it('counts every series the query returns, under the datasource path prefix', async () => {
    prometheus.answer(() => ({
      data: {
        resultType: 'vector',
        result: Array.from({ length: 150 }, (_, i) => ({ metric: { i: String(i) }, value: [1, '1'] })),
      },
    }));
    const query = prometheusInstantQuery(prometheus.url, 5_000);
    expect(await query('up')).toEqual({ kind: 'series', count: 150 });
    expect(prometheus.requests.at(-1)!.path).toBe('/prometheus/api/v1/query');
    expect(prometheus.requests.at(-1)!.params.query).toBe('up');
  });

  it('counts a scalar as one result', async () => {
    prometheus.answer(() => ({ data: { resultType: 'scalar', result: [1, '42'] } }));
    expect(await prometheusInstantQuery(prometheus.url, 5_000)('scalar(vector(42))')).toEqual({
      kind: 'series',
      count: 1,
    });
  });

  it('explains a rejected query with its kind, status and Prometheus message', async () => {
    prometheus.fault({
      kind: 'error',
      status: 400,
      errorType: 'bad_data',
      error: '1:7: parse error: unclosed left parenthesis',
    });
    const result = await prometheusInstantQuery(prometheus.url, 5_000)('sum(up');
    expect(result).toEqual({
      kind: 'rejected',
      error: expect.stringMatching(/^bad_data \(HTTP 400\): .*unclosed left parenthesis/),
    });
  });

  it('treats a starting Prometheus (plain-text 503) as a rejection of that cell', async () => {
    prometheus.fault({ kind: 'plain-503' });
    const result = await prometheusInstantQuery(prometheus.url, 5_000)('up');
    expect(result).toMatchObject({ kind: 'rejected', error: expect.stringContaining('HTTP 503') });
  });

  it('stops the check when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const query = prometheusInstantQuery(`http://127.0.0.1:${port}`, 5_000);
    await expect(query('up')).rejects.toThrow(PrometheusUnreachableError);
    await expect(query('up')).rejects.toThrow(/ECONNREFUSED/);
  });
});
