import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/http/env.js';
import { createErrorHandler } from '../../src/http/errors.js';
import { apiAuth } from '../../src/http/middleware/auth.js';
import { queryRoutes } from '../../src/http/routes/query.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { API_TOKENS, useTestApp } from '../support/app.js';
import { metricSample } from '../support/metrics.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';

// The route mounted the way app.ts mounts the API, alone (the metrics test below builds the whole app).
let fake: FakePrometheus;
let app: Hono<AppEnv>;
beforeAll(async () => {
  fake = await startFakePrometheus();
  const datasources = new Datasources(
    [
      { name: 'default', url: fake.url },
      { name: 'impatient', url: fake.url, timeoutMs: 200 },
    ],
    { maxSeries: 3 },
  );
  app = new Hono<AppEnv>();
  app.use(requestId());
  app.onError(
    createErrorHandler(
      () => false,
      () => {},
    ),
  );
  app.use('/api/v1/*', apiAuth({ tokens: API_TOKENS }));
  app.route('/api/v1', queryRoutes({ datasources }));
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

async function query(body: unknown, token = API_TOKENS[0]!.token) {
  const res = await app.request('/api/v1/query', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('POST /api/v1/query', () => {
  it('runs an instant query', async () => {
    const { status, body } = await query({ query: 'up', time: 1_700_000_000 });
    expect(status).toBe(200);
    expect(body).toEqual({
      resultType: 'vector',
      series: [{ metric: { query: 'up' }, values: [[1_700_000_000, 1_700_000_000]] }],
      truncated: false,
      totalSeries: 1,
      warnings: [],
    });
    expect(fake.requests).toMatchObject([{ path: '/api/v1/query', params: { query: 'up', time: '1700000000' } }]);
  });

  it('runs a range query with RFC 3339 times and a duration step', async () => {
    const { status, body } = await query({
      query: 'rate(x[5m])',
      start: '2026-11-22T07:00:00Z',
      end: '2026-11-22T07:10:00Z',
      step: '5m',
    });
    expect(status).toBe(200);
    const start = Date.parse('2026-11-22T07:00:00Z') / 1000;
    expect(body.series[0].values.map(([t]: [number]) => t)).toEqual([start, start + 300, start + 600]);
    expect(fake.requests[0]!.params).toMatchObject({ start: String(start), end: String(start + 600), step: '300' });
  });

  it('chooses the step when none is given', async () => {
    await query({ query: 'up', start: 0, end: 3_600 });
    expect(fake.requests[0]!.params.step).toBe('10');
  });

  it('writes NaN and infinities as Prometheus spells them, other values as numbers', async () => {
    fake.answer(() => ({
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: {},
            values: [
              [1, 'NaN'],
              [2, '+Inf'],
              [3, '-Inf'],
              [4, '0.5'],
            ],
          },
        ],
      },
    }));
    const { body } = await query({ query: 'x', start: 1, end: 4, step: 1 });
    expect(body.series[0].values).toEqual([
      [1, 'NaN'],
      [2, '+Inf'],
      [3, '-Inf'],
      [4, 0.5],
    ]);
  });

  it('says when the result had more series than the cap', async () => {
    fake.answer(() => ({
      data: {
        resultType: 'vector',
        result: [...Array(5).keys()].map((i) => ({ metric: { i: String(i) }, value: [1, '1'] })),
      },
    }));
    const { body } = await query({ query: 'x' });
    expect(body).toMatchObject({ truncated: true, totalSeries: 5 });
    expect(body.series).toHaveLength(3);
  });

  it('passes warnings through', async () => {
    fake.answer(() => ({ data: { resultType: 'vector', result: [] }, warnings: ['results truncated due to limit'] }));
    expect((await query({ query: 'x' })).body.warnings).toEqual(['results truncated due to limit']);
  });

  it('uses the named datasource', async () => {
    fake.fault({ kind: 'hang' });
    const { status, body } = await query({ query: 'up', datasource: 'impatient' });
    expect(status).toBe(503);
    expect(body.error.message).toBe('datasource "impatient" did not answer within 200 ms');
  });

  it.each([
    [{}, 'query', 'expected string'],
    [{ query: '  ' }, 'query', 'must not be empty'],
    [{ query: 'up', time: 'yesterday' }, 'time', 'must be unix seconds or an RFC 3339 time'],
    [{ query: 'up', time: 1, start: 0 }, 'time', 'drop time or start'],
    [{ query: 'up', end: 10 }, 'start', 'a range query needs start and end'],
    [{ query: 'up', start: 10, step: 1 }, 'end', 'a range query needs start and end'],
    [{ query: 'up', start: 10, end: 0 }, 'end', 'must not be before start'],
    [
      { query: 'up', start: 0, end: 86_400, step: 1 },
      'step',
      '86401 points per series over 86400s; Prometheus allows at most 11,000: use a step of at least 7.856s',
    ],
    [{ query: 'up', start: 0, end: 60, step: '1 minute' }, 'step', '"1 minute" is not a duration'],
    [{ query: 'up', start: 0, end: 60, step: 0 }, 'step', 'must be positive'],
    [{ query: 'up', timeout: '5s' }, '(body)', 'Unrecognized key: "timeout"'],
    [{ query: 'up', datasource: 'mimir' }, 'datasource', 'unknown datasource "mimir" (configured: default, impatient)'],
  ])('rejects %j naming %s, without asking Prometheus', async (input, field, message) => {
    const { status, body } = await query(input);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', field });
    expect(body.error.message).toContain(message);
    expect(fake.requestCount()).toBe(0);
  });

  it("answers a PromQL parse error with 400, Prometheus' message and the position", async () => {
    fake.fault({
      kind: 'error',
      status: 400,
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
    });
    const { status, body } = await query({ query: 'sum(up' });
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'invalid_input',
      message: 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
      field: 'query',
      position: { line: 1, column: 7 },
      requestId: expect.any(String),
    });
  });

  it('answers an evaluation error with 400 and no position', async () => {
    fake.fault({ kind: 'error', status: 422, errorType: 'execution', error: 'many-to-many matching not allowed' });
    const { status, body } = await query({ query: 'up + on() up' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', message: 'many-to-many matching not allowed' });
    expect(body.error).not.toHaveProperty('position');
  });

  it('answers 503 with Retry-After when Prometheus is starting', async () => {
    fake.fault({ kind: 'plain-503' });
    const { status, headers, body } = await query({ query: 'up' });
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toMatch(/^\d+$/);
    expect(body.error).toMatchObject({
      code: 'unavailable',
      message: 'datasource "default" answered HTTP 503 Service Unavailable: Service Unavailable',
    });
  });

  it.each([
    [
      'a 500',
      { kind: 'error', status: 500, errorType: 'internal', error: 'storage failure' },
      'datasource "default": storage failure',
    ],
    [
      'an HTML page from a proxy',
      { kind: 'raw', status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' },
      'answered HTTP 502',
    ],
    ['malformed JSON', { kind: 'malformed-json' }, 'with a body that is not a Prometheus API response'],
    ['a dropped connection', { kind: 'reset' }, 'is unreachable'],
  ] as const)('answers 502 upstream_error for %s', async (_, fault, message) => {
    fake.fault(fault);
    const { status, body } = await query({ query: 'up' });
    expect(status).toBe(502);
    expect(body.error.code).toBe('upstream_error');
    expect(body.error.message).toContain(message);
  });

  it('requires an API token', async () => {
    expect((await query({ query: 'up' }, 'wrong')).status).toBe(401);
    expect(fake.requestCount()).toBe(0);
  });
});

describe('Prometheus query metrics', () => {
  let datasources: Datasources;
  beforeAll(() => {
    datasources = new Datasources([
      { name: 'default', url: fake.url },
      { name: 'unreachable', url: 'http://127.0.0.1:1' },
    ]);
  });
  // The fake's address is known once it has started; the app asks the lookup for a client only when it queries.
  const testApp = useTestApp({ datasources: { get: (name) => datasources.get(name) } });
  const scrape = async () => (await testApp().app.request('/metrics')).text();
  const increase = (before: string, after: string, series: string) =>
    metricSample(after, series) - metricSample(before, series);

  it('counts every query sent, by datasource, kind and outcome, and times it', async () => {
    const ok = 'alertbook_prometheus_queries_total{datasource="default",kind="instant",outcome="ok"}';
    const rejected = 'alertbook_prometheus_queries_total{datasource="default",kind="range",outcome="bad_data"}';
    const unreachable = 'alertbook_prometheus_queries_total{datasource="unreachable",kind="instant",outcome="network"}';
    const timed = 'alertbook_prometheus_query_duration_seconds_count{datasource="default",kind="instant"}';
    const before = await scrape();

    expect((await testApp().api('/query', { method: 'POST', json: { query: 'up' } })).status).toBe(200);
    fake.fault({
      kind: 'error',
      status: 400,
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
    });
    expect(
      (await testApp().api('/query', { method: 'POST', json: { query: 'sum(up', start: 0, end: 60 } })).status,
    ).toBe(400);
    expect(
      (await testApp().api('/query', { method: 'POST', json: { query: 'up', datasource: 'unreachable' } })).status,
    ).toBe(502);
    // Refused before any query is sent: not counted.
    expect((await testApp().api('/query', { method: 'POST', json: { query: 'up', datasource: 'mimir' } })).status).toBe(
      400,
    );

    const after = await scrape();
    expect([
      increase(before, after, ok),
      increase(before, after, rejected),
      increase(before, after, unreachable),
    ]).toEqual([1, 1, 1]);
    expect(increase(before, after, timed)).toBe(1);
    expect(after).not.toContain('datasource="mimir"');
  });
});
