import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { snapshotOnResolve } from '../../src/domain/snapshots/snapshot-on-resolve.js';
import { startOutboxWorker } from '../../src/domain/replicas/outbox-worker.js';
import { takeSnapshot } from '../../src/domain/snapshots/take-snapshot.js';
import { createLogger } from '../../src/logger.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { chooseStep } from '../../src/prometheus/step.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { deliver, getIncident } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

const METRICS = `# TYPE e2e_requests_total counter
e2e_requests_total{route="/checkout",code="200"} 100
e2e_requests_total{route="/checkout",code="500"} 7
# TYPE e2e_special gauge
e2e_special{kind="nan"} NaN
e2e_special{kind="inf"} +Inf
e2e_special{kind="neg_inf"} -Inf
`;

let prometheus: RunningPrometheus;
let datasources: Datasources;
beforeAll(async () => {
  prometheus = await startPrometheus({ metrics: METRICS });
  datasources = new Datasources([{ name: 'default', url: prometheus.url }]);
  await prometheus.waitForSeries('e2e_special');
  // A few scrapes, so range queries have several points.
  await sleep(3_000);
});
afterAll(() => prometheus?.close());

const client = () => datasources.get();
const now = () => Date.now() / 1000;

describe('the client against a real Prometheus', () => {
  it('runs an instant query on the metrics the test serves', async () => {
    const result = await client().instant({ query: 'sort(e2e_requests_total)' });
    expect(result).toMatchObject({ resultType: 'vector', truncated: false, totalSeries: 2, warnings: [] });
    if (result.resultType !== 'vector') throw new Error('expected a vector');
    expect(result.series.map((s) => [s.metric.code, s.metric.job, s.values[0]![1]])).toEqual([
      ['500', 'app', 7],
      ['200', 'app', 100],
    ]);
  });

  it('runs a range query, one point per step within [start, end]', async () => {
    const end = Math.floor(now());
    const start = end - 3;
    const result = await client().range({ query: 'e2e_requests_total{code="500"}', start, end, step: 1 });
    if (result.resultType !== 'matrix') throw new Error(`expected a matrix, got ${result.resultType}`);
    const times = result.series[0]!.values.map(([t]) => t);
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.every((t, i) => t >= start && t <= end && (i === 0 || t - times[i - 1]! === 1))).toBe(true);
    expect(result.series[0]!.values.every(([, v]) => v === 7)).toBe(true);
  });

  it('reads NaN, +Inf and -Inf samples', async () => {
    const result = await client().instant({ query: 'e2e_special' });
    if (result.resultType !== 'vector') throw new Error('expected a vector');
    const byKind = Object.fromEntries(result.series.map((s) => [s.metric.kind, s.values[0]![1]]));
    expect(byKind).toEqual({ nan: NaN, inf: Infinity, neg_inf: -Infinity });
  });

  it('reads scalar and string results', async () => {
    expect(await client().instant({ query: 'scalar(vector(42))', time: 1_795_000_000 })).toEqual({
      resultType: 'scalar',
      value: [1_795_000_000, '42'],
      warnings: [],
    });
    expect(await client().instant({ query: '"hello"', time: 1_795_000_000 })).toMatchObject({
      resultType: 'string',
      value: [1_795_000_000, 'hello'],
    });
  });

  it('sends a long query as a form POST and gets the same answer', async () => {
    const query = `sum(e2e_requests_total) + ${Array(800).fill('0').join(' + ')}`;
    const result = await client().instant({ query });
    expect(result).toMatchObject({ resultType: 'vector', series: [{ values: [[expect.any(Number), 107]] }] });
  });

  it('keeps parse errors verbatim with their position', async () => {
    await expect(client().instant({ query: 'sum(up' })).rejects.toMatchObject({
      kind: 'bad_data',
      status: 400,
      message: 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
      position: { line: 1, column: 7 },
    });
  });

  it('reports evaluation errors as execution', async () => {
    await expect(client().instant({ query: 'up + on() up' })).rejects.toMatchObject({
      kind: 'execution',
      status: 422,
      retryable: false,
      message: expect.stringContaining('many-to-many matching not allowed'),
    });
  });

  it('stays under 11,000 points with the chosen step where the requested one is refused', async () => {
    const end = Math.floor(now());
    const start = end - 30 * 86_400;
    const refused = client().range({ query: 'up', start, end, step: 1 });
    await expect(refused).rejects.toMatchObject({
      kind: 'bad_data',
      message: expect.stringContaining('11,000 points'),
    });
    const result = await client().range({ query: 'up', start, end, step: chooseStep(end - start, 1) });
    expect(result.resultType).toBe('matrix');
  });
});

describe('incident cells and snapshots against a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alertbook-e2e-runbooks-'));
  writeFileSync(
    join(dir, 'checkout-errors.md'),
    `---
title: Checkout errors
alerts: [CheckoutErrors]
---
# Checkout errors

\`\`\`promql id=errors step=5s
sum by (code) (e2e_requests_total{job="{{ $labels.job }}", route="{{ $labels.route }}"})
\`\`\`

\`\`\`promql id=specials instant
e2e_special{job="{{ $labels.job }}"}
\`\`\`
`,
  );
  let app: TestApp;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const runbooks = new RunbookLibrary({ dir, db: database.db, logger: createLogger({ silent: true }) });
    await runbooks.reload();
    app = await createTestApp(database, { runbooks });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("snapshots cells templated with the incident's labels, by hand and when it resolves", async () => {
    onTestFailed(() => console.error(`--- Prometheus log ---\n${prometheus.logs()}`));
    const ctx = { db: app.database.db, clock: () => new Date(), bus: app.bus, datasources };
    const logger = createLogger({ silent: true });
    const worker = startOutboxWorker({
      db: app.database.db,
      bus: app.bus,
      logger,
      handlers: { 'auto-run-cells': null, 'snapshot-on-resolve': snapshotOnResolve({ ctx, logger }) },
    });
    try {
      const startsAt = new Date(Date.now() - 10_000).toISOString();
      await deliver(
        app,
        amNotification([
          amAlert({ alertname: 'CheckoutErrors', labels: { job: 'app', route: '/checkout' }, startsAt }),
        ]),
      );

      const manual = await takeSnapshot({ ctx, input: { id: 1, actor: 'alice', body: { cellId: 'errors' } } });
      expect(manual.data).toMatchObject({
        cellId: 'errors',
        query: 'sum by (code) (e2e_requests_total{job="app", route="/checkout"})',
        step: 5,
        resultType: 'matrix',
        totalSeries: 2,
      });

      expect((await app.api('/incidents/1/resolve', { method: 'POST' })).status).toBe(200);
      await worker.drain();
      const events = (await getIncident(app, 1)).timeline.filter((e) => e.type.startsWith('cell.snapshot'));
      expect(events.map((e) => [e.type, e.actor, e.data.cellId])).toEqual([
        ['cell.snapshot', 'alice', 'errors'],
        ['cell.snapshot', 'alertbook', 'errors'],
        ['cell.snapshot', 'alertbook', 'specials'],
      ]);
      const errors = events[1]!.data as { series: { metric: Record<string, string>; values: [number, number][] }[] };
      const last = Object.fromEntries(errors.series.map((s) => [s.metric.code, s.values.at(-1)![1]]));
      expect(last).toEqual({ '200': 100, '500': 7 });
      const specials = events[2]!.data as { series: { metric: Record<string, string>; values: [number, unknown][] }[] };
      expect(Object.fromEntries(specials.series.map((s) => [s.metric.kind, s.values[0]![1]]))).toEqual({
        nan: 'NaN',
        inf: '+Inf',
        neg_inf: '-Inf',
      });
    } finally {
      await worker.stop();
    }
  });
});
