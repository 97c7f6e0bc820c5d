import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { useTestApp } from '../support/app.js';
import { useRangePrometheus } from '../support/range-prometheus.js';
import { amAlert, amNotification } from '../support/payloads.js';

const NOW = 1_700_000_000;
const at = (minutes: number) => new Date((NOW + minutes * 60) * 1000);
let now = at(0);

const dir = mkdtempSync(join(tmpdir(), 'alertbook-evidence-'));
mkdirSync(join(dir, 'rules'));
const RULE = `groups:
  - name: api
    rules:
      - alert: Errors
        expr: rate(errors_total[5m]) > 0.05
        for: 2m
`;
const rules = new RuleFiles({ patterns: ['rules/*.yml'], cwd: dir, logger: createLogger({ silent: true }) });

/** The rule matches during minutes 10–13 and 30–50 of the last hour with 0.05, only 30–50 with 0.1. */
function answerFor(query: string, start: number, end: number, step: number) {
  if (query === 'rate(errors_total[5m])') {
    const values: [number, string][] = [];
    for (let t = start; t <= end; t += step) values.push([t, '0.02']);
    return [{ metric: { job: 'api' }, values }];
  }
  const stretches = query.includes('> 0.05')
    ? [
        [10, 13],
        [30, 50],
      ]
    : [[30, 50]];
  const values: [number, string][] = [];
  for (let t = start; t <= end; t += step) {
    const minute = (t - (NOW - 3600)) / 60;
    if (stretches.some(([from, to]) => minute >= from! && minute < to!)) values.push([t, '1']);
  }
  return values.length ? [{ metric: { job: 'api' }, values }] : [];
}

/** One incident of its own per alert (a group key each), opened at `minutes` from NOW. */
function incidentAt(minutes: number, alertname = 'Errors') {
  return amNotification([amAlert({ alertname, startsAt: at(minutes).toISOString() })], {
    groupKey: `{}:{alertname="${alertname}",at="${minutes}"}`,
  });
}

describe('stored evidence and verification', () => {
  const { datasources } = useRangePrometheus(answerFor);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = useTestApp({ rules, datasources, clock: () => now });
  beforeEach(async () => {
    now = at(0);
    writeFileSync(join(dir, 'rules/api.yml'), RULE);
    await rules.reload();
  });

  const post = async (path: string, json: unknown) => {
    const res = await t().api(path, { method: 'POST', json });
    expect(res.status).toBeLessThan(300);
    return res.text();
  };

  it('answers baseline and backtest with an evidence id; the evidence reads back byte for byte', async () => {
    const backtest = await post('/rules/Errors/backtest', { window: '1h', candidates: [{ threshold: 0.1 }] });
    expect(JSON.parse(backtest)).toMatchObject({
      id: 'backtest-1',
      current: { firings: 2 },
      candidates: [{ firings: 1 }],
    });
    const baseline = await post('/rules/Errors/baseline', { window: '1h' });
    expect(JSON.parse(baseline)).toMatchObject({ id: 'baseline-2', overall: { p95: 0.02 } });

    for (const [id, answered] of [
      ['backtest-1', backtest],
      ['baseline-2', baseline],
    ] as const) {
      const res = await t().api(`/tuning/evidence/${id}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(answered);
    }
    // The kind is part of the id.
    expect((await t().api('/tuning/evidence/baseline-1')).status).toBe(404);
  });

  it('verifies an applied decision once verifyAfter has passed: predicted, actual and before', async () => {
    const backtest = JSON.parse(
      await post('/rules/Errors/backtest', { window: '1h', candidates: [{ threshold: 0.1 }] }),
    );
    const baseline = JSON.parse(await post('/rules/Errors/baseline', { window: '1h' }));
    const created = JSON.parse(
      await post('/tuning/decisions', {
        alertname: 'Errors',
        to: { threshold: 0.1 },
        reason: 'the short burst at minute 10 is noise',
        verifyAfter: '1h',
        evidence: { baselineId: baseline.id, backtestId: backtest.id },
      }),
    );
    expect(created.evidence).toEqual({ baselineId: baseline.id, backtestId: backtest.id, baseline, backtest });

    writeFileSync(join(dir, 'rules/api.yml'), RULE.replace('> 0.05', '> 0.1'));
    await rules.reload();

    // Three incidents in the hour before it was applied, one in the hour after, one later, one of another alert; each
    // received as it starts (Alertbook's history begins at the first, 50 minutes before the decision applied).
    for (const [minutes, alertname] of [[-50], [-40], [-20], [10], [70], [15, 'Other']] as [number, string?][]) {
      now = at(minutes);
      expect((await t().hook(incidentAt(minutes, alertname))).status).toBe(200);
    }

    now = at(59);
    expect(await t().tuning.decisions.verifyDue()).toBe(0);
    expect(JSON.parse(await (await t().api('/tuning/decisions/1')).text()).status).toBe('applied');

    now = at(60);
    expect(await t().tuning.decisions.verifyDue()).toBe(1);
    const verified = (await (await t().api('/tuning/decisions/1')).json()) as Record<string, unknown>;
    expect(verified).toMatchObject({
      status: 'verified',
      appliedAt: at(0).toISOString(),
      verifiedAt: at(60).toISOString(),
    });
    expect(verified.verification).toEqual({
      // The backtest covered one hour, as long as the verification window: its candidate's figures as they are.
      predicted: { episodes: 1, firingSeconds: backtest.candidates[0].timeFiring },
      actual: { firings: 1, incidents: 1 },
      before: { firings: 3, incidents: 3 },
      // The hour before began 10 minutes before Alertbook's first alert: part of it went unrecorded.
      beforeRecorded: 'part',
      window: { from: at(0).toISOString(), to: at(60).toISOString() },
    });
    expect(await t().tuning.decisions.verifyDue()).toBe(0);
  });
});
