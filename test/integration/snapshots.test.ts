import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startOutboxWorker, type OutboxWorker } from '../../src/domain/replicas/outbox-worker.js';
import { snapshotOnResolve } from '../../src/domain/snapshots/snapshot-on-resolve.js';
import type { SnapshotContext } from '../../src/domain/snapshots/snapshot-context.js';
import { knownRulesOfFile } from '../../src/domain/tuning/known-rules.js';
import type { AppEnv } from '../../src/http/env.js';
import { createErrorHandler } from '../../src/http/errors.js';
import { apiAuth } from '../../src/http/middleware/auth.js';
import { snapshotRoutes } from '../../src/http/routes/snapshots.js';
import { createLogger } from '../../src/logger.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { deliver, getIncident } from '../support/api.js';
import { API_TOKENS, createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { amAlert, amNotification } from '../support/payloads.js';

const NOW = new Date('2026-11-22T08:00:00Z');
const STARTED = Date.parse('2026-11-22T07:29:51.374068Z') / 1000; // amAlert's default startsAt
const RUNBOOK = `---
title: API error rate high
alerts: [HighErrorRate]
datasource: main
---
# API error rate high

\`\`\`promql id=ratio step=1m
sum(rate(http_requests_total{job="{{ $labels.job }}", code=~"5.."}[5m]))
\`\`\`

\`\`\`promql id=by-route instant
sum by (route) (rate(http_requests_total{job="{{ $labels.job }}"}[5m]))
\`\`\`

\`\`\`promql id=by-pod
sum by (pod) (rate(http_requests_total{pod="{{ $labels.pod }}"}[5m]))
\`\`\`
`;

// The firing rule, on the shape the `ratio` cell charts: that chart draws the rule's threshold, whatever it is now.
let ruleThreshold = 5;
const rules = {
  list: () =>
    knownRulesOfFile({
      path: 'rules/api.yml',
      content: `groups:
  - name: api
    rules:
      - alert: HighErrorRate
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > ${ruleThreshold}
        labels:
          severity: critical
`,
    }),
};

const dir = mkdtempSync(join(tmpdir(), 'alertbook-snapshots-'));
writeFileSync(join(dir, 'high-error-rate.md'), RUNBOOK);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let app: TestApp;
let fake: FakePrometheus;
let ctx: SnapshotContext;
let snapshots: Hono<AppEnv>;
const t = () => app;
beforeAll(async () => {
  fake = await startFakePrometheus();
  const database = await createTestDatabase();
  const runbooks = new RunbookLibrary({ dir, db: database.db, logger: createLogger({ silent: true }) });
  app = await createTestApp(database, { clock: () => NOW, runbooks });
  ctx = {
    db: database.db,
    clock: () => NOW,
    bus: app.bus,
    datasources: new Datasources([
      { name: 'default', url: fake.url },
      { name: 'main', url: fake.url, timeoutMs: 300 },
    ]),
    rules,
  };
  // Mounted the way app.ts mounts the API (AppDeps has no datasources yet).
  snapshots = new Hono<AppEnv>();
  snapshots.use(requestId());
  snapshots.onError(
    createErrorHandler(
      () => false,
      () => {},
    ),
  );
  snapshots.use('/api/v1/*', apiAuth({ tokens: API_TOKENS }));
  snapshots.route('/api/v1', snapshotRoutes({ ctx }));
});
afterAll(async () => {
  await fake?.close();
  await app?.close();
});
beforeEach(async () => {
  ruleThreshold = 5;
  fake.reset();
  await app.database.reset();
  await app.app.request('/api/v1/runbooks/reload', {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKENS[0]!.token}` },
  });
});

async function snapshot(id: number, body: unknown) {
  const res = await snapshots.request(`/api/v1/incidents/${id}/snapshots`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKENS[1]!.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function openIncident(labels: Record<string, string> = { job: 'checkout' }) {
  await deliver(t(), amNotification([amAlert({ alertname: 'HighErrorRate', labels })]));
}

async function snapshotEvents(id: number) {
  return (await getIncident(t(), id)).timeline.filter((e) => e.type.startsWith('cell.snapshot'));
}

describe('POST /incidents/:id/snapshots', () => {
  it("snapshots a runbook cell rendered for the incident over its window, on the runbook's datasource", async () => {
    await openIncident();
    const { status, body } = await snapshot(1, { cellId: 'ratio' });
    expect(status).toBe(201);
    const query = 'sum(rate(http_requests_total{job="checkout", code=~"5.."}[5m]))';
    const start = STARTED - 3_600;
    const end = NOW.getTime() / 1000;
    expect(body).toMatchObject({ type: 'cell.snapshot', actor: 'bob', at: NOW.toISOString() });
    expect(body.data).toMatchObject({
      cellId: 'ratio',
      query,
      datasource: 'main',
      start,
      end,
      step: 60,
      resultType: 'matrix',
      truncated: false,
      totalSeries: 1,
      warnings: [],
    });
    expect(body.data.series[0].values[0]).toEqual([start, start]);
    expect(fake.requests).toMatchObject([
      { path: '/api/v1/query_range', params: { query, start: String(start), end: String(end), step: '60' } },
    ]);

    expect(await snapshotEvents(1)).toEqual([
      { id: body.id, type: 'cell.snapshot', actor: 'bob', at: body.at, data: body.data },
    ]);
  });

  it("records the threshold line the cell's chart draws, and keeps it when a tuning decision moves the rule's", async () => {
    await openIncident();
    const before = await snapshot(1, { cellId: 'ratio' });
    expect(before.body.data.threshold).toEqual({ value: 5, operator: '>' });
    ruleThreshold = 8;
    const after = await snapshot(1, { cellId: 'ratio' });
    expect(after.body.data.threshold).toEqual({ value: 8, operator: '>' });
    expect((await snapshotEvents(1)).map((e) => e.data.threshold)).toEqual([
      { value: 5, operator: '>' },
      { value: 8, operator: '>' },
    ]);
    // No line: a cell that charts no rule and sets none, and a query given as is.
    expect((await snapshot(1, { cellId: 'by-route' })).body.data.threshold).toBeNull();
    expect((await snapshot(1, { query: 'up' })).body.data.threshold).toBeNull();
  });

  it('snapshots a query as given, over the window and step asked for', async () => {
    await openIncident();
    const { status, body } = await snapshot(1, {
      query: 'up{job="checkout"}',
      datasource: 'default',
      start: '2026-11-22T07:00:00Z',
      end: 1_795_331_400,
      step: '5m',
    });
    expect(status).toBe(201);
    expect(body.data).toEqual({
      query: 'up{job="checkout"}',
      datasource: 'default',
      threshold: null,
      start: 1_795_330_800,
      end: 1_795_331_400,
      step: 300,
      resultType: 'matrix',
      series: [
        {
          metric: { query: 'up{job="checkout"}' },
          values: [
            [1_795_330_800, 1_795_330_800],
            [1_795_331_100, 1_795_331_100],
            [1_795_331_400, 1_795_331_400],
          ],
        },
      ],
      truncated: false,
      totalSeries: 1,
      warnings: [],
    });
  });

  it('evaluates an instant cell at the end of the window', async () => {
    await openIncident();
    const { body } = await snapshot(1, { cellId: 'by-route', end: 1_795_331_400 });
    expect(body.data).toMatchObject({
      cellId: 'by-route',
      start: 1_795_331_400,
      end: 1_795_331_400,
      step: null,
      resultType: 'vector',
    });
    expect(fake.requests).toMatchObject([{ path: '/api/v1/query', params: { time: '1795331400' } }]);
  });

  it('keeps NaN and infinities', async () => {
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
              [4, '2'],
            ],
          },
        ],
      },
    }));
    await openIncident();
    await snapshot(1, { query: 'x', start: 1, end: 4, step: 1 });
    const [event] = await snapshotEvents(1);
    expect(event!.data.series).toEqual([
      {
        metric: {},
        values: [
          [1, 'NaN'],
          [2, '+Inf'],
          [3, '-Inf'],
          [4, 2],
        ],
      },
    ]);
  });

  it.each([
    [{}, 'query', 'give the query to snapshot, or the cellId'],
    [{ cellId: 'ratio', query: 'up' }, 'query', 'give cellId or query, not both'],
    [{ cellId: 'nope' }, 'cellId', 'runbook "high-error-rate" has no cell "nope" (cells: ratio, by-route, by-pod)'],
    [{ cellId: 'by-pod' }, 'cellId', 'cell "by-pod" cannot be filled in for this incident'],
    [{ cellId: 'by-route', step: 60 }, 'step', 'cell "by-route" is an instant query'],
    [{ query: 'up', start: 100, end: 50 }, 'end', 'must not be before start'],
    [{ query: 'up', window: '1h' }, '(body)', 'Unrecognized key: "window"'],
  ])('rejects %j naming %s', async (input, field, message) => {
    await openIncident();
    const { status, body } = await snapshot(1, input);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', field });
    expect(body.error.message).toContain(message);
    expect(fake.requestCount()).toBe(0);
    expect(await snapshotEvents(1)).toEqual([]);
  });

  it('rejects a cellId when the incident has no runbook', async () => {
    await deliver(t(), amNotification([amAlert({ alertname: 'NoRunbook' })]));
    const { status, body } = await snapshot(1, { cellId: 'ratio' });
    expect(status).toBe(400);
    expect(body.error.message).toBe('cellId: incident 1 has no runbook, so no cell "ratio"');
  });

  it('answers 404 for an unknown incident', async () => {
    expect((await snapshot(42, { query: 'up' })).status).toBe(404);
    expect(fake.requestCount()).toBe(0);
  });

  it('records nothing when Prometheus rejects the query or is down', async () => {
    await openIncident();
    fake.fault({
      kind: 'error',
      status: 400,
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unexpected end of input',
    });
    const rejected = await snapshot(1, { query: 'sum(' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error).toMatchObject({ field: 'query', position: { line: 1, column: 5 } });
    fake.fault({ kind: 'plain-503' });
    expect((await snapshot(1, { cellId: 'ratio' })).status).toBe(503);
    expect(await snapshotEvents(1)).toEqual([]);
  });
});

describe('snapshots when an incident resolves', () => {
  let worker: OutboxWorker;
  beforeEach(() => {
    const logger = createLogger({ silent: true });
    worker = startOutboxWorker({
      db: t().database.db,
      bus: t().bus,
      logger,
      handlers: {
        'auto-run-cells': null,
        'snapshot-on-resolve': snapshotOnResolve({ ctx: { ...ctx, clock: () => NOW }, logger }),
      },
    });
    return () => worker.stop();
  });

  it('snapshots every cell of the runbook over [start − 1 h, resolution], recording why one could not be', async () => {
    await openIncident();
    expect((await t().api('/incidents/1/resolve', { method: 'POST' })).status).toBe(200);
    await worker.drain();

    const events = await snapshotEvents(1);
    const end = NOW.getTime() / 1000;
    expect(events.map((e) => [e.type, e.actor, e.data.cellId])).toEqual([
      ['cell.snapshot', 'alertbook', 'ratio'],
      ['cell.snapshot', 'alertbook', 'by-route'],
      ['cell.snapshot_failed', 'alertbook', 'by-pod'],
    ]);
    // The step fits the window (about 300 points: 5,409 s / 300 → 30 s), not the cell's live `step=1m`; the
    // window starts at or before start − 1 h on a multiple of it back from the resolution, the last point.
    expect(STARTED - 3_600 - (end - 5_430)).toBeLessThan(30);
    expect(events[0]!.data).toMatchObject({
      start: end - 5_430,
      end,
      step: 30,
      datasource: 'main',
      resultType: 'matrix',
      threshold: { value: 5, operator: '>' },
    });
    expect(events[1]!.data).toMatchObject({ start: end, end, step: null, resultType: 'vector' });
    expect(events[2]!.data).toMatchObject({
      query: expect.stringContaining('{{ $labels.pod }}'),
      error: {
        code: 'invalid_input',
        message: expect.stringContaining('cell "by-pod" cannot be filled in for this incident'),
      },
    });
  });

  it('also when Alertmanager resolves it, ending the window at the resolution', async () => {
    await openIncident();
    const resolved = amAlert({
      alertname: 'HighErrorRate',
      labels: { job: 'checkout' },
      status: 'resolved',
      endsAt: '2026-11-22T07:45:00Z',
    });
    await deliver(t(), amNotification([resolved]));
    await worker.drain();
    const [first] = await snapshotEvents(1);
    expect(first!.data).toMatchObject({ cellId: 'ratio', end: Date.parse('2026-11-22T07:45:00Z') / 1000 });
  });

  it('records the upstream failure on the timeline when Prometheus is down', async () => {
    await openIncident();
    fake.fault({ kind: 'plain-503' });
    await t().api('/incidents/1/resolve', { method: 'POST' });
    await worker.drain();
    const events = await snapshotEvents(1);
    expect(events.map((e) => e.type)).toEqual(['cell.snapshot_failed', 'cell.snapshot_failed', 'cell.snapshot_failed']);
    expect(events[0]!.data.error).toEqual({
      code: 'unavailable',
      message: 'datasource "main" answered HTTP 503 Service Unavailable: Service Unavailable',
    });
  });

  it('does nothing for an incident without a runbook, or once stopped', async () => {
    await deliver(t(), amNotification([amAlert({ alertname: 'NoRunbook' })]));
    await t().api('/incidents/1/resolve', { method: 'POST' });
    await worker.drain();
    await worker.stop();
    await openIncident();
    await t().api('/incidents/2/resolve', { method: 'POST' });
    await worker.drain();
    expect(fake.requestCount()).toBe(0);
    expect([...(await snapshotEvents(1)), ...(await snapshotEvents(2))]).toEqual([]);
  });

  it('cancels the queries in flight when stopped', async () => {
    await openIncident();
    fake.fault({ kind: 'hang' });
    await t().api('/incidents/1/resolve', { method: 'POST' });
    await vi.waitFor(() => expect(fake.requestCount()).toBe(1));
    await worker.stop();
    expect(fake.requestCount()).toBe(1);
    expect(await snapshotEvents(1)).toEqual([]);
  });
});
