import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakePrometheus, type FakePrometheus } from '../../test/support/fake-prometheus.js';
import { MAX_GET_PARAMS_LENGTH, PrometheusClient } from './client.js';
import { PrometheusError } from './errors.js';

let fake: FakePrometheus;
beforeAll(async () => {
  fake = await startFakePrometheus();
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

function client(options: Partial<ConstructorParameters<typeof PrometheusClient>[0]> = {}, maxSeries?: number) {
  return new PrometheusClient(
    { name: 'default', url: fake.url, timeoutMs: 2_000, ...options },
    maxSeries ? { maxSeries } : {},
  );
}

describe('requests', () => {
  it('sends an instant query as GET with the time and its own timeout', async () => {
    const result = await client().instant({ query: 'up', time: 1_700_000_000.5 });
    expect(result).toEqual({
      resultType: 'vector',
      series: [{ metric: { query: 'up' }, values: [[1_700_000_000.5, 1_700_000_000.5]] }],
      truncated: false,
      totalSeries: 1,
      warnings: [],
    });
    expect(fake.requests).toMatchObject([
      { method: 'GET', path: '/api/v1/query', params: { query: 'up', time: '1700000000.5', timeout: '2' } },
    ]);
  });

  it('leaves the time to the server when none is given', async () => {
    await client().instant({ query: 'up' });
    expect(fake.requests[0]!.params).not.toHaveProperty('time');
  });

  it('sends a range query with start, end and step in seconds', async () => {
    const result = await client().range({ query: 'rate(x[5m])', start: 100, end: 130, step: 15 });
    expect(result).toMatchObject({
      resultType: 'matrix',
      series: [
        {
          values: [
            [100, 100],
            [115, 115],
            [130, 130],
          ],
        },
      ],
    });
    expect(fake.requests).toMatchObject([
      {
        method: 'GET',
        path: '/api/v1/query_range',
        params: { query: 'rate(x[5m])', start: '100', end: '130', step: '15' },
      },
    ]);
  });

  it('switches to a form-encoded POST when the parameters would make a long URL', async () => {
    const query = `sum(${Array.from({ length: 200 }, (_, i) => `metric_${i}{job="api"}`).join(' + ')})`;
    expect(new URLSearchParams({ query }).toString().length).toBeGreaterThan(MAX_GET_PARAMS_LENGTH);
    await client().range({ query, start: 0, end: 60, step: 30 });
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', params: { query, start: '0', end: '60', step: '30' } });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('keeps the path prefix and query string of the datasource URL (Mimir, tenants)', async () => {
    const mimir = await startFakePrometheus({ pathPrefix: '/prometheus' });
    try {
      await client({ url: `${mimir.url}/?tenant=a` }).instant({ query: 'up' });
      expect(mimir.requests).toMatchObject([
        { path: '/prometheus/api/v1/query', params: { tenant: 'a', query: 'up' } },
      ]);
      const wrongPrefix = client({ url: fake.url.replace(/\/?$/, '/nope') }).instant({ query: 'up' });
      await expect(wrongPrefix).rejects.toMatchObject({ kind: 'upstream', status: 404, retryable: false });
    } finally {
      await mimir.close();
    }
  });

  it('authenticates with a bearer token and sends extra headers', async () => {
    await client({
      bearerToken: 's3cret',
      headers: { 'X-Scope-OrgID': 'team-a', Authorization: 'overridden' },
    }).instant({ query: 'up' });
    expect(fake.requests[0]!.headers).toMatchObject({
      authorization: 'Bearer s3cret',
      'x-scope-orgid': 'team-a',
      accept: 'application/json',
    });
  });

  it('authenticates with basic auth, also when the credentials are in the URL', async () => {
    await client({ basicAuth: { username: 'ann', password: 'pw' } }).instant({ query: 'up' });
    await client({ url: fake.url.replace('http://', 'http://bob:p%40ss@') }).instant({ query: 'up' });
    const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([basic('ann:pw'), basic('bob:p@ss')]);
  });

  it('caps the series', async () => {
    fake.answer(() => ({
      data: { resultType: 'vector', result: [1, 2, 3].map((i) => ({ metric: { i: String(i) }, value: [1, '1'] })) },
    }));
    expect(await client({}, 2).instant({ query: 'x' })).toMatchObject({
      truncated: true,
      totalSeries: 3,
      series: [{}, {}],
    });
  });
});

describe('faults', () => {
  it('waits for a slow server within the budget', async () => {
    fake.fault({ kind: 'slow', delayMs: 300 });
    expect(await client().instant({ query: 'up' })).toMatchObject({ resultType: 'vector' });
  });

  it('times out on a server slower than the budget, and on one that hangs', async () => {
    fake.fault({ kind: 'slow', delayMs: 2_000 });
    const slow = client({ timeoutMs: 200 }).instant({ query: 'up' });
    await expect(slow).rejects.toMatchObject({
      kind: 'timeout',
      status: null,
      retryable: true,
      message: 'datasource "default" did not answer within 200 ms',
    });
    fake.fault({ kind: 'hang' });
    await expect(client({ timeoutMs: 200 }).range({ query: 'up', start: 0, end: 1, step: 1 })).rejects.toMatchObject({
      kind: 'timeout',
    });
  });

  it('reports the caller giving up as canceled, not retryable', async () => {
    fake.fault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client().instant({ query: 'up', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'canceled', retryable: false });
  });

  it.each([
    [
      'a 500 with the JSON envelope',
      { kind: 'error', status: 500, errorType: 'internal', error: 'storage failure' },
      'upstream',
      500,
      true,
    ],
    [
      'an evaluation error',
      { kind: 'error', status: 422, errorType: 'execution', error: 'many-to-many matching not allowed' },
      'execution',
      422,
      false,
    ],
    ['a plain-text 503 while starting', { kind: 'plain-503' }, 'unavailable', 503, true],
    [
      'an HTML 502 from a proxy',
      { kind: 'raw', status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' },
      'upstream',
      502,
      true,
    ],
    ['malformed JSON', { kind: 'malformed-json' }, 'upstream', 200, false],
  ] as const)('maps %s', async (_, fault, kind, status, retryable) => {
    fake.fault(fault);
    await expect(client().instant({ query: 'up' })).rejects.toMatchObject({ kind, status, retryable });
  });

  it('reports a dropped connection as a network error', async () => {
    fake.fault({ kind: 'reset' });
    await expect(client().instant({ query: 'up' })).rejects.toMatchObject({
      kind: 'network',
      status: null,
      retryable: true,
    });
  });

  it('reports a refused connection naming the datasource and its URL', async () => {
    const port = await closedPort();
    const refused = new PrometheusClient({ name: 'thanos', url: `http://127.0.0.1:${port}/q?token=secret` }).instant({
      query: 'up',
    });
    await expect(refused).rejects.toBeInstanceOf(PrometheusError);
    await expect(refused).rejects.toMatchObject({
      kind: 'network',
      message: `datasource "thanos" (http://127.0.0.1:${port}/q) is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('recovers once a fault limited to some requests has passed', async () => {
    fake.fault({ kind: 'plain-503' }, { times: 2 });
    const prometheus = client();
    await expect(prometheus.instant({ query: 'up' })).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(prometheus.instant({ query: 'up' })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await prometheus.instant({ query: 'up' })).toMatchObject({ resultType: 'vector' });
    expect(fake.requestCount('query')).toBe(3);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
