import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Datasources } from '../../src/prometheus/datasources.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { createScriptSandbox, SOME_INCIDENT, type ScriptSandbox } from '../support/script-runner.js';

let prometheus: FakePrometheus;
let sandbox: ScriptSandbox;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  sandbox = await createScriptSandbox(
    new Datasources([{ name: 'default', url: prometheus.url, bearerToken: 'prom-secret' }]),
  );
});

afterAll(async () => {
  await sandbox.close();
  await prometheus.close();
});

const alert = { labels: { alertname: 'HighErrorRate', service: 'checkout' }, annotations: { summary: '5xx above 1%' } };

describe('a script cell run', () => {
  it('sees the cell API and hands back text and structured outputs in order', async () => {
    const result = await sandbox.runner.run({
      code: [
        `console.log('labels', alert.labels.service, alert.annotations.summary, incident.id, incident.status);`,
        `const up = await query('up{service="' + alert.labels.service + '"}');`,
        `show.table(up.series.map((s) => ({ ...s.metric, value: s.values[0][1] })));`,
        `const range = await queryRange('rate(x[5m])', { range: '15m', step: '1m' });`,
        `show.chart(range.series, { threshold: 0.01, unit: 'percentunit' });`,
        `show.markdown('**done**');`,
        `show.json({ n: up.series.length });`,
        `console.log('bye');`,
      ].join('\n'),
      timeoutSeconds: 10,
      permissions: { net: [], env: [], read: [] },
      alert,
      incident: SOME_INCIDENT,
      datasource: 'default',
    });
    expect(result.error).toBeNull();
    expect(result.outputs.map((o) => o.kind)).toEqual(['text', 'table', 'chart', 'markdown', 'json', 'text']);
    expect(result.outputs[0]).toEqual({ kind: 'text', text: 'labels checkout 5xx above 1% 1 firing\n' });
    expect(result.outputs[2]).toMatchObject({ threshold: 0.01, unit: 'percentunit' });
    expect(result.outputs[3]).toEqual({ kind: 'markdown', text: '**done**' });
    const queries = prometheus.requests
      .filter((r) => r.path.endsWith('/query') || r.path.endsWith('/query_range'))
      .slice(-2);
    expect(queries.map((r) => r.params.query)).toEqual(['up{service="checkout"}', 'rate(x[5m])']);
    expect(Number(queries[1]!.params.end) - Number(queries[1]!.params.start)).toBeCloseTo(900, 0);
    // The datasource's credentials stay in the service: the gateway adds them.
    expect(queries[0]!.headers.authorization).toBe('Bearer prom-secret');
  });

  it('is granted exactly what the runbook declares: a runbook file, a variable', async () => {
    const result = await sandbox.runner.run({
      code: `console.log(Deno.readTextFileSync('${sandbox.runbooksDir}/data/routes.json'), Deno.env.get('REGION'));`,
      timeoutSeconds: 10,
      permissions: { net: [], env: ['REGION'], read: ['data/routes.json'] },
      alert,
      incident: SOME_INCIDENT,
      datasource: 'default',
    });
    expect(result.error).toBeNull();
    expect(result.outputs).toEqual([{ kind: 'text', text: '["/checkout","/cart"] eu-west-1\n' }]);
  });

  it('reads a large answer whole, multi-byte characters across its reads intact', async () => {
    const result = await sandbox.runner.run({
      code: [
        `const week = await queryRange('up{note="é→✓"}', { range: '7d', step: '1m' });`,
        `console.log(week.series.length, week.series[0].metric.query, week.series[0].values.length);`,
      ].join('\n'),
      timeoutSeconds: 20,
      permissions: { net: [], env: [], read: [] },
      alert,
      incident: SOME_INCIDENT,
      datasource: 'default',
    });
    expect(result.error).toBeNull();
    expect(result.outputs).toEqual([{ kind: 'text', text: '1 up{note="é→✓"} 10081\n' }]);
  });

  it("reports a failed query with the gateway's reason", async () => {
    const result = await sandbox.runner.run({
      code: `await query('up', { datasource: 'nope' });`,
      timeoutSeconds: 10,
      permissions: { net: [], env: [], read: [] },
      alert,
      incident: SOME_INCIDENT,
      datasource: 'default',
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/query failed \(400\): datasource: unknown datasource "nope"/);
  });
});
