import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentChange } from '../../src/domain/incident-bus.js';
import { createLogger } from '../../src/logger.js';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const run = promisify(execFile);

// The rule files live in a git repository of their own: `git apply --check` runs against them as they are.
const dir = mkdtempSync(join(tmpdir(), 'alertbook-decisions-'));
mkdirSync(join(dir, 'rules'));
const FILE = 'rules/api.yml';
const LATENCY = 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))';
const ORIGINAL = `groups:
  - name: api
    rules:
      # The p95 the seeds watch; keep it under half a second.
      - alert: APIHighLatency
        expr: ${LATENCY} > 0.5
        for: 5m
        labels:
          severity: warning
      - alert: APIErrorsAboveRequests
        expr: sum(rate(errors_total[5m])) > sum(rate(requests_total[5m]))
      - alert: TargetDown
        expr: up == 0
  - name: batch
    rules:
      - alert: TargetDown
        expr: up == 0
        for: 10m
`;

function writeRules(content: string) {
  writeFileSync(join(dir, FILE), content);
}

const rules = new RuleFiles({ patterns: ['rules/**/*.{yml,yaml}'], cwd: dir, logger: createLogger({ silent: true }) });
const START = new Date('2026-11-02T10:00:00.000Z');
let now = START;

const PROPOSAL = {
  alertname: 'APIHighLatency',
  to: { threshold: 0.6, for: '10m' },
  reason: 'p95 over 7 d is 0.48 s; +25 %',
};

interface Decision {
  id: number;
  status: string;
  ruleVersion: string;
  appliedAt: string | null;
  appliedRuleVersion: string | null;
  events: { status: string; actor: string; detail: Record<string, unknown> | null }[];
}

describe('tuning decisions', () => {
  beforeAll(async () => {
    await run('git', ['init', '-q'], { cwd: dir });
  });
  afterAll(async () => {
    await rules.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const t = useTestApp({ rules, clock: () => now });
  beforeEach(async () => {
    now = START;
    writeRules(ORIGINAL);
    await rules.reload();
  });

  const propose = async (body: Record<string, unknown> = PROPOSAL, as = 'alice') => {
    const res = await t().api('/tuning/decisions', { method: 'POST', json: body, as });
    expect(res.status).toBe(201);
    return (await res.json()) as Decision;
  };
  const decision = async (id: number) => (await (await t().api(`/tuning/decisions/${id}`)).json()) as Decision;
  const versionOf = (alertname: string) => rules.list().find((r) => r.alertname === alertname)!.version;

  it('records who, when, why, the rule version and its from-values (201), and reads it back', async () => {
    const created = await propose();
    expect(created).toEqual({
      id: 1,
      alertname: 'APIHighLatency',
      group: 'api',
      file: FILE,
      line: 5,
      labels: { severity: 'warning' },
      ruleVersion: versionOf('APIHighLatency'),
      thresholdIndex: 0,
      from: { threshold: 0.5, operator: '>', for: '5m', keepFiringFor: null, expr: `${LATENCY} > 0.5` },
      to: { threshold: 0.6, for: '10m', keepFiringFor: null, expr: null },
      reason: PROPOSAL.reason,
      actor: 'alice',
      incidentId: null,
      status: 'proposed',
      createdAt: START.toISOString(),
      appliedAt: null,
      appliedRuleVersion: null,
      verifyAfter: '7d',
      verifiedAt: null,
      verification: null,
      evidence: { baselineId: null, backtestId: null, baseline: null, backtest: null },
      events: [{ status: 'proposed', at: START.toISOString(), actor: 'alice', detail: null }],
    });
    expect(await decision(1)).toEqual(created);
    const list = async (query: string) =>
      ((await (await t().api(`/tuning/decisions${query}`)).json()) as { decisions: Decision[] }).decisions.map(
        (d) => d.id,
      );
    expect(await list('')).toEqual([1]);
    expect(await list('?alertname=APIHighLatency&status=proposed')).toEqual([1]);
    expect(await list('?status=applied')).toEqual([]);
    expect(await list('?alertname=TargetDown')).toEqual([]);
  });

  it.each([
    ['an unknown alertname', { ...PROPOSAL, alertname: 'Nope' }, 404, 'not_found', undefined],
    ['an ambiguous alertname', { ...PROPOSAL, alertname: 'TargetDown', to: { for: '1m' } }, 409, 'conflict', undefined],
    [
      'a threshold of a rule compared with another series',
      { ...PROPOSAL, alertname: 'APIErrorsAboveRequests', to: { threshold: 1 } },
      422,
      'no_threshold',
      'thresholdIndex',
    ],
    ['a missing reason', { alertname: 'APIHighLatency', to: { threshold: 0.6 } }, 400, 'invalid_input', 'reason'],
    ['no to-value', { ...PROPOSAL, to: {} }, 400, 'invalid_input', 'to'],
    ['an unknown to-value', { ...PROPOSAL, to: { treshold: 1 } }, 400, 'invalid_input', 'to'],
    ['a duration Prometheus cannot read', { ...PROPOSAL, to: { for: 'soon' } }, 400, 'invalid_input', 'to.for'],
    [
      'to-values the rule already holds',
      { ...PROPOSAL, to: { threshold: 0.5, for: '5m' } },
      400,
      'invalid_input',
      'to',
    ],
    [
      'an unknown backtest id',
      { ...PROPOSAL, evidence: { backtestId: 'backtest-99' } },
      400,
      'invalid_input',
      'evidence.backtestId',
    ],
    [
      'a baseline id as backtest',
      { ...PROPOSAL, evidence: { backtestId: 'baseline-1' } },
      400,
      'invalid_input',
      'evidence.backtestId',
    ],
    ['an unknown incident', { ...PROPOSAL, incidentId: 42 }, 400, 'invalid_input', 'incidentId'],
    ['a bad verifyAfter', { ...PROPOSAL, verifyAfter: 'a week' }, 400, 'invalid_input', 'verifyAfter'],
  ])('refuses %s, writing nothing', async (_, body, status, code, field) => {
    const res = await t().api('/tuning/decisions', { method: 'POST', json: body });
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: { code: string; field?: string; candidates?: unknown[] } };
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    if (status === 409) expect(error.candidates).toHaveLength(2);
    const list = (await (await t().api('/tuning/decisions')).json()) as { decisions: unknown[] };
    expect(list.decisions).toEqual([]);
  });

  it('answers 400 for a bad id or filter and 404 for an unknown decision', async () => {
    expect((await t().api('/tuning/decisions/abc')).status).toBe(400);
    expect((await t().api('/tuning/decisions/9')).status).toBe(404);
    expect((await t().api('/tuning/decisions/9/patch')).status).toBe(404);
    expect((await t().api('/tuning/decisions?status=done')).status).toBe(400);
    expect((await t().api('/tuning/decisions?owner=me')).status).toBe(400);
    expect((await t().api('/tuning/evidence/backtest-9')).status).toBe(404);
  });

  it('supersedes an open proposal for the same rule and threshold, not one of another rule', async () => {
    await propose();
    await propose({ alertname: 'TargetDown', group: 'batch', to: { for: '15m' }, reason: 'batch jobs restart slowly' });
    now = new Date(START.getTime() + 60_000);
    await propose({ ...PROPOSAL, to: { threshold: 0.7 } }, 'bob');
    expect(await decision(1)).toMatchObject({
      status: 'superseded',
      events: [
        { status: 'proposed', actor: 'alice', detail: null },
        { status: 'superseded', actor: 'bob', detail: { supersededBy: 3 } },
      ],
    });
    expect((await decision(2)).status).toBe('proposed');
    expect((await decision(3)).status).toBe('proposed');
  });

  it('rejects a proposal by hand, once (409 after), and nothing else by hand', async () => {
    await propose();
    const wrong = await t().api('/tuning/decisions/1', { method: 'PATCH', json: { status: 'applied', reason: 'x' } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { field: string } }).error.field).toBe('status');
    const res = await t().api('/tuning/decisions/1', {
      method: 'PATCH',
      json: { status: 'rejected', reason: 'the p95 was a deploy week' },
      as: 'bob',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'rejected',
      events: [
        { status: 'proposed', actor: 'alice' },
        { status: 'rejected', actor: 'bob', detail: { reason: 'the p95 was a deploy week' } },
      ],
    });
    const again = await t().api('/tuning/decisions/1', { method: 'PATCH', json: { status: 'rejected', reason: 'x' } });
    expect(again.status).toBe(409);
    expect((await t().api('/tuning/decisions/1/patch')).status).toBe(409);
  });

  it('becomes applied when a reloaded rule file first holds every to-value, on the incident timeline and bus', async () => {
    await t().hook(amNotification([amAlert({ alertname: 'APIHighLatency', startsAt: '2026-11-02T09:00:00Z' })]));
    const changes: IncidentChange[] = [];
    const unsubscribe = t().bus.subscribe((change) => changes.push(change));
    try {
      await propose({ ...PROPOSAL, incidentId: 1 });
      expect(changes).toEqual([{ incidentId: 1, types: ['tuning.proposed'] }]);

      // Only the threshold so far: not yet what was decided.
      writeRules(ORIGINAL.replace('> 0.5', '> 0.6'));
      await rules.reload();
      expect((await decision(1)).status).toBe('proposed');

      now = new Date(START.getTime() + 3_600_000);
      writeRules(ORIGINAL.replace('> 0.5', '> 0.6').replace('for: 5m', 'for: 10m'));
      await rules.reload();
      const applied = await decision(1);
      expect(applied).toMatchObject({ status: 'applied', appliedAt: now.toISOString() });
      expect(applied.appliedRuleVersion).toBe(versionOf('APIHighLatency'));
      expect(applied.appliedRuleVersion).not.toBe(applied.ruleVersion);
      expect(applied.events.map((e) => [e.status, e.actor])).toEqual([
        ['proposed', 'alice'],
        ['applied', 'alertbook'],
      ]);
      expect(changes.at(-1)).toEqual({ incidentId: 1, types: ['tuning.applied'] });

      // A later reload changes nothing: applied once.
      await rules.reload();
      expect((await decision(1)).events).toHaveLength(2);

      const { timeline } = (await (await t().api('/incidents/1')).json()) as {
        timeline: { type: string; actor: string; data: Record<string, unknown> }[];
      };
      const tuningEvents = timeline.filter((e) => e.type.startsWith('tuning.'));
      expect(tuningEvents).toEqual([
        expect.objectContaining({
          type: 'tuning.proposed',
          actor: 'alice',
          data: {
            decisionId: 1,
            alertname: 'APIHighLatency',
            from: expect.objectContaining({ threshold: 0.5, for: '5m' }),
            to: { threshold: 0.6, for: '10m', keepFiringFor: null, expr: null },
            reason: PROPOSAL.reason,
          },
        }),
        expect.objectContaining({ type: 'tuning.applied', actor: 'alertbook' }),
      ]);
    } finally {
      unsubscribe();
    }
  });

  it('patches the rule file as it is now: git apply --check passes, re-based over other edits, 409 rule_changed when the threshold moved', async () => {
    await propose();
    const res = await t().api('/tuning/decisions/1/patch');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/x-diff/);
    const diff = await res.text();
    expect(diff).toContain(`--- a/${FILE}`);
    expect(diff).toContain(`-        expr: ${LATENCY} > 0.5\n-        for: 5m\n`);
    expect(diff).toContain(`+        expr: ${LATENCY} > 0.6\n+        for: 10m\n`);
    await gitApplyCheck(diff);

    // Someone raised the severity and reworded the comment meanwhile: the patch is re-based onto that.
    writeRules(ORIGINAL.replace('severity: warning', 'severity: critical').replace('half a second', '0.5 s'));
    await rules.reload();
    const rebased = await (await t().api('/tuning/decisions/1/patch')).text();
    expect(rebased).toContain('severity: critical');
    await gitApplyCheck(rebased);

    // The file already holds the decision: nothing to change.
    writeRules(ORIGINAL.replace('> 0.5', '> 0.6').replace('for: 5m', 'for: 10m'));
    const unchanged = await t().api('/tuning/decisions/1/patch');
    expect(unchanged.status).toBe(200);
    expect(await unchanged.text()).toBe('');

    // The threshold moved elsewhere: not patched blindly.
    writeRules(ORIGINAL.replace('> 0.5', '> 0.8'));
    const conflict = await t().api('/tuning/decisions/1/patch');
    expect(conflict.status).toBe(409);
    const { error } = (await conflict.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('rule_changed');
    expect(error.message).toContain('0.8');
  });

  it('keeps the last good rules of a file that no longer parses, and loads it again once fixed', async () => {
    const before = rules.list().map((r) => r.version);
    writeRules(`${ORIGINAL}  - name: [broken\n`);
    expect(await rules.reload()).toEqual({ rules: 4, keptLastGood: [FILE] });
    expect(rules.list().map((r) => r.version)).toEqual(before);
    writeRules(ORIGINAL.replace('> 0.5', '> 0.6'));
    expect(await rules.reload()).toEqual({ rules: 4, keptLastGood: [] });
    expect(rules.list()[0]!.thresholds[0]!.value).toBe(0.6);
  });

  it('watches the rule files: an edit applies the decision without a call', async () => {
    await propose();
    await rules.watch();
    try {
      writeRules(ORIGINAL.replace('> 0.5', '> 0.6').replace('for: 5m', 'for: 10m'));
      await vi.waitFor(async () => expect((await decision(1)).status).toBe('applied'), {
        timeout: 15_000,
        interval: 100,
      });
    } finally {
      await rules.close();
    }
  });
});

async function gitApplyCheck(diff: string) {
  const patch = join(dir, '.decision.diff');
  writeFileSync(patch, diff);
  try {
    await run('git', ['apply', '--check', patch], { cwd: dir });
  } finally {
    rmSync(patch);
  }
}
