import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { useTestApp } from '../support/app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The shipped rules (warning/critical pairs share alertnames) and a PrometheusRule manifest of the fixtures.
const rules = new RuleFiles({
  patterns: [
    'runbooks/rules/**/*.{yml,yaml}',
    'test/fixtures/rules/kube-prometheus_kubePrometheus-prometheusRule.yaml',
  ],
  cwd: root,
});

describe('GET /api/v1/rules', () => {
  beforeAll(async () => {
    await rules.reload();
  });
  const t = useTestApp({ rules });

  it('lists every alerting rule with file:line, its thresholds and a version', async () => {
    const res = await t().api('/rules');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      rules: { alertname: string; file: string; line: number; version: string; thresholds: unknown[] }[];
    };
    expect(body.rules.length).toBe(30);
    expect(body.rules.find((r) => r.alertname === 'TargetDown' && r.file.startsWith('test/'))).toMatchObject({
      line: 16,
      forSeconds: 600,
      thresholds: [
        { index: 0, operator: '==', value: 0, observed: 'up' },
        { index: 1, operator: '>', value: 10, source: { line: 21, column: 126 } },
      ],
    });
    expect(body.rules.every((r) => /^[0-9a-f]{64}$/.test(r.version))).toBe(true);
  });

  it('answers one rule by alertname, narrowed by group or file', async () => {
    const res = await t().api('/rules/QueueBacklog?group=web-api.async');
    expect(res.status).toBe(409);
    // The shipped TargetDown and kube-prometheus' one: the file tells them apart.
    const byFile = await t().api(
      '/rules/TargetDown?file=test/fixtures/rules/kube-prometheus_kubePrometheus-prometheusRule.yaml',
    );
    expect(byFile.status).toBe(200);
    expect(await byFile.json()).toMatchObject({ group: 'general.rules', line: 16 });
    expect((await t().api('/rules/TargetDown?group=nope')).status).toBe(404);
    const one = await t().api('/rules/ApiNoTraffic');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      alertname: 'ApiNoTraffic',
      file: 'runbooks/rules/web-api.yaml',
      thresholds: [
        { operator: '==', value: 0 },
        { operator: '>', value: 0.1 },
      ],
    });
  });

  it('lists the candidates when an alertname is ambiguous (409)', async () => {
    const res = await t().api('/rules/ApiHighLatency');
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; candidates: unknown[] } };
    expect(error.code).toBe('conflict');
    expect(error.candidates).toEqual([
      { group: 'web-api.http', file: 'runbooks/rules/web-api.yaml', line: 57 },
      { group: 'web-api.http', file: 'runbooks/rules/web-api.yaml', line: 68 },
    ]);
  });

  it("picks one of a pair in one group and file by the line the 409's candidates list (?line=)", async () => {
    const critical = await t().api('/rules/ApiHighLatency?group=web-api.http&line=68');
    expect(critical.status).toBe(200);
    expect(await critical.json()).toMatchObject({ line: 68, labels: { severity: 'critical' } });
    expect((await t().api('/rules/ApiHighLatency?line=57')).status).toBe(200);
    const nowhere = await t().api('/rules/ApiHighLatency?line=58');
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { error: { message: string } }).error.message).toBe(
      'alerting rule "ApiHighLatency" in line 58 not found',
    );
    for (const line of ['0', 'x', '1.5', '']) {
      const bad = await t().api(`/rules/ApiHighLatency?line=${line}`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('line');
    }
  });

  it('answers 404 for an unknown alertname', async () => {
    const res = await t().api('/rules/NoSuchAlert');
    expect(res.status).toBe(404);
  });

  it('keeps the version when nothing Prometheus evaluates changed', async () => {
    const before = rules.list().map((r) => r.version);
    await rules.reload();
    expect(rules.list().map((r) => r.version)).toEqual(before);
  });
});
