import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WeeklyReport } from '../../src/domain/reports/model.js';
import { createLogger } from '../../src/logger.js';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const dir = mkdtempSync(join(tmpdir(), 'alertbook-report-tuning-'));
mkdirSync(join(dir, 'rules'));
const RULES = `groups:
  - name: api
    rules:
      - alert: HighLatency
        expr: api_latency_p95_seconds > 0.5
      - alert: QueueBacklog
        expr: queue_depth > 1000
        for: 5m
`;
const writeRules = (content: string) => writeFileSync(join(dir, 'rules/api.yml'), content);
const rules = new RuleFiles({ patterns: ['rules/*.yml'], cwd: dir, logger: createLogger({ silent: true }) });
let now = new Date('2026-10-28T09:00:00Z');

describe("the weekly report's Tuning section over recorded decisions", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = useTestApp({ rules, clock: () => now });

  const propose = async (body: Record<string, unknown>) => {
    const res = await t().api('/tuning/decisions', { method: 'POST', json: body });
    expect(res.status).toBe(201);
  };
  /** Alertmanager notifies of an alert that started at `startsAt`, at that moment (the history is received as it happens). */
  const fired = async (alertname: string, startsAt: string) => {
    now = new Date(startsAt);
    const notification = amNotification([amAlert({ alertname, startsAt })], {
      groupKey: `{}:{alertname="${alertname}",at="${startsAt}"}`,
    });
    expect((await t().hook(notification)).status).toBe(200);
  };
  /** HighLatency's threshold decision, recorded on 3 Nov and applied when its rule file changes on 4 Nov 10:00 UTC. */
  const applyHighLatencyDecision = async () => {
    writeRules(RULES);
    await rules.reload();
    now = new Date('2026-11-03T10:00:00Z');
    await propose({ alertname: 'HighLatency', to: { threshold: 0.6 }, reason: 'p95 is 0.48 s' });
    now = new Date('2026-11-04T10:00:00Z');
    writeRules(RULES.replace('> 0.5', '> 0.6'));
    await rules.reload();
  };
  const effectsOfW45 = async () => {
    now = new Date('2026-11-10T08:00:00Z');
    const res = await t().api('/reports/weekly?week=2026-W45&tz=UTC');
    expect(res.status).toBe(200);
    const markdown = await (await t().api('/reports/weekly?week=2026-W45&tz=UTC&format=md')).text();
    return { effects: ((await res.json()) as WeeklyReport).tuning.effects, markdown };
  };

  it('lists the decisions recorded, applied and verified in 2026-W45 and the effect of the one applied', async () => {
    writeRules(RULES);
    await rules.reload();
    // W44: a QueueBacklog proposal, superseded in W45 by another (recorded before the period: not listed as recorded).
    await propose({ alertname: 'QueueBacklog', to: { threshold: 2000 }, reason: 'deploys fill it' });
    // W45 (Monday 2 Nov – Sunday 8 Nov, UTC).
    now = new Date('2026-11-03T10:00:00Z');
    await propose({ alertname: 'HighLatency', to: { threshold: 0.6 }, reason: 'p95 is 0.48 s', verifyAfter: '1d' });
    now = new Date('2026-11-04T10:00:00Z');
    writeRules(RULES.replace('> 0.5', '> 0.6'));
    await rules.reload();
    now = new Date('2026-11-05T10:00:00Z');
    expect(await t().tuning.decisions.verifyDue()).toBe(1);
    await propose({ alertname: 'QueueBacklog', to: { threshold: 1500 }, reason: 'deploys fill it, a little' });

    // HighLatency fired 8 times in the 4 weeks before 4 Nov 10:00 (plus once earlier), once after, once after W45.
    for (const startsAt of [
      '2026-10-01T12:00:00Z',
      '2026-10-08T12:00:00Z',
      '2026-10-12T12:00:00Z',
      '2026-10-15T12:00:00Z',
      '2026-10-20T12:00:00Z',
      '2026-10-22T12:00:00Z',
      '2026-10-25T12:00:00Z',
      '2026-10-28T12:00:00Z',
      '2026-11-04T09:59:00Z',
      '2026-11-04T12:00:00Z',
      '2026-11-09T12:00:00Z',
    ]) {
      await fired('HighLatency', startsAt);
    }

    now = new Date('2026-11-10T08:00:00Z');
    const res = await t().api('/reports/weekly?week=2026-W45&tz=UTC');
    expect(res.status).toBe(200);
    const { tuning } = (await res.json()) as WeeklyReport;
    expect(tuning.decisionsAvailable).toBe(true);
    expect(tuning.recorded.map((d) => [d.id, d.alertname, d.status])).toEqual([
      [2, 'HighLatency', 'verified'],
      [3, 'QueueBacklog', 'proposed'],
    ]);
    expect(tuning.applied.map((d) => [d.id, d.appliedAt])).toEqual([[2, '2026-11-04T10:00:00.000Z']]);
    expect(tuning.verified.map((d) => [d.id, d.verifiedAt, d.link])).toEqual([
      [2, '2026-11-05T10:00:00.000Z', '/tuning/2'],
    ]);
    // Before: [7 Oct 10:00, 4 Nov 10:00) holds 8 firings (1 Oct is older), 2 a week. After: [4 Nov 10:00, 9 Nov 00:00)
    // holds 1 firing in 110 h = 110/168 weeks.
    expect(tuning.effects).toEqual([
      expect.objectContaining({
        decisionId: 2,
        alertname: 'HighLatency',
        appliedAt: '2026-11-04T10:00:00.000Z',
        firingsBefore: expect.objectContaining({ value: 8 }),
        weeksBefore: 4,
        perWeekBefore: 2,
        firingsAfter: expect.objectContaining({ value: 1 }),
        weeksAfter: 110 / 168,
        perWeekAfter: 168 / 110,
      }),
    ]);
  });

  it("counts one rule of a warning/critical pair: its decision's verification, its effect and the evidence linked", async () => {
    const PAIR = `groups:
  - name: api
    rules:
      - alert: HighLatency
        expr: api_latency_p95_seconds > 0.5
        labels:
          severity: warning
      - alert: HighLatency
        expr: api_latency_p95_seconds > 2
        labels:
          severity: critical
`;
    const firedAt = async (severity: string, startsAt: string) => {
      now = new Date(startsAt);
      const alert = amAlert({ alertname: 'HighLatency', labels: { severity }, startsAt });
      const notification = amNotification([alert], { groupKey: `{}:{severity="${severity}",at="${startsAt}"}` });
      expect((await t().hook(notification)).status).toBe(200);
    };
    writeRules(PAIR);
    await rules.reload();
    await firedAt('warning', '2026-10-30T12:00:00Z');
    await firedAt('critical', '2026-10-31T12:00:00Z');
    now = new Date('2026-11-03T10:00:00Z');
    await propose({ alertname: 'HighLatency', line: 4, to: { threshold: 0.6 }, reason: 'p95 is 0.48 s' });
    now = new Date('2026-11-04T10:00:00Z');
    writeRules(PAIR.replace('> 0.5', '> 0.6'));
    await rules.reload();
    await firedAt('warning', '2026-11-04T12:00:00Z');
    await firedAt('critical', '2026-11-04T13:00:00Z');
    await firedAt('critical', '2026-11-05T13:00:00Z');

    // The week's effect: the warning rule's firings only, 1 before (history from 30 Oct 12:00) and 1 after.
    const { effects } = await effectsOfW45();
    expect(effects).toEqual([
      expect.objectContaining({
        firingsBefore: expect.objectContaining({ value: 1 }),
        firingsAfter: expect.objectContaining({ value: 1 }),
      }),
    ]);
    // Each figure's query lists exactly what it counted.
    for (const figure of [effects[0]!.firingsBefore, effects[0]!.firingsAfter]) {
      const res = await t().api(figure.query.replace(/^\/api\/v1/, ''));
      expect(res.status).toBe(200);
      const { occurrences } = (await res.json()) as { occurrences: { labels: Record<string, string> }[] };
      expect(occurrences.map((o) => o.labels.severity)).toEqual(['warning']);
    }
    // Verified after its 7 days: the week before held 1 warning firing (and a critical one), the week after 1 (and 2).
    now = new Date('2026-11-11T10:00:00Z');
    expect(await t().tuning.decisions.verifyDue()).toBe(1);
    const decision = (await (await t().api('/tuning/decisions/1')).json()) as {
      labels: Record<string, string>;
      verification: { actual: { firings: number; incidents: number }; before: { firings: number; incidents: number } };
    };
    expect(decision.labels).toEqual({ severity: 'warning' });
    expect(decision.verification).toMatchObject({
      actual: { firings: 1, incidents: 1 },
      before: { firings: 1, incidents: 1 },
    });
    const bad = await t().api(
      '/reports/evidence/occurrences?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&labels=severity',
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('labels');
  });

  it("counts the weeks before a decision only from Alertbook's first alert: unrecorded weeks are not quiet ones", async () => {
    await applyHighLatencyDecision();
    // Alertbook's history begins on 21 Oct 10:00, two weeks before the decision applied: 3 firings in those 2 weeks.
    for (const startsAt of [
      '2026-10-21T10:00:00Z',
      '2026-10-25T12:00:00Z',
      '2026-10-30T12:00:00Z',
      '2026-11-06T12:00:00Z',
    ]) {
      await fired('HighLatency', startsAt);
    }
    const { effects, markdown } = await effectsOfW45();
    expect(effects).toEqual([
      expect.objectContaining({
        firingsBefore: expect.objectContaining({
          value: 3,
          query: expect.stringContaining('from=2026-10-21T10%3A00%3A00.000Z&to=2026-11-04T10%3A00%3A00.000Z'),
        }),
        weeksBefore: 2,
        perWeekBefore: 1.5, // not 3 over 4 weeks, 0.75, as if the two unrecorded weeks had been quiet
        firingsAfter: expect.objectContaining({ value: 1 }),
      }),
    ]);
    expect(markdown).toContain('| HighLatency | 2026-11-04T10:00:00.000Z | 1.5 | 1.5 |');
  });

  it('gives no rate before a decision applied before Alertbook stored any alert', async () => {
    await applyHighLatencyDecision();
    await fired('HighLatency', '2026-11-06T12:00:00Z');
    const { effects, markdown } = await effectsOfW45();
    expect(effects).toEqual([
      expect.objectContaining({
        firingsBefore: expect.objectContaining({ value: 0 }),
        weeksBefore: 0,
        perWeekBefore: null,
      }),
    ]);
    expect(markdown).toContain('| HighLatency | 2026-11-04T10:00:00.000Z | – | 1.5 |');
  });
});
