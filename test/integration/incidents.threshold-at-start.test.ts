// An incident's charts draw the rule threshold its alert fired against, after a tuning decision moved it; and a
// warning/critical pair of one group and file is tuned one rule at a time, by line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { deliver } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

const LATENCY = 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))';
const RULES = `groups:
  - name: api
    rules:
      - alert: APIHighLatency
        expr: ${LATENCY} > 0.5
        labels:
          severity: warning
      - alert: APIHighLatency
        expr: ${LATENCY} > 1
        labels:
          severity: critical
`;
const RUNBOOK = `---
title: API latency
alerts: [APIHighLatency]
---
# API latency

\`\`\`promql id=p95
${LATENCY}
\`\`\`
`;

const dir = mkdtempSync(join(tmpdir(), 'alertbook-threshold-at-start-'));
mkdirSync(join(dir, 'rules'));
mkdirSync(join(dir, 'runbooks'));
writeFileSync(join(dir, 'rules/api.yml'), RULES);
writeFileSync(join(dir, 'runbooks/api-latency.md'), RUNBOOK);
const rules = new RuleFiles({ patterns: ['rules/*.yml'], cwd: dir, logger: createLogger({ silent: true }) });

let now = new Date('2026-11-02T10:00:00Z');
let app: TestApp;
beforeAll(async () => {
  await rules.reload();
  const database = await createTestDatabase();
  const runbooks = new RunbookLibrary({
    dir: join(dir, 'runbooks'),
    db: database.db,
    logger: createLogger({ silent: true }),
  });
  app = await createTestApp(database, { clock: () => now, rules, runbooks });
  await app.api('/runbooks/reload', { method: 'POST' });
});
afterAll(async () => {
  await app?.close();
  await rules.close();
  rmSync(dir, { recursive: true, force: true });
});

async function incident(severity: string, startsAt: string): Promise<number> {
  const alert = amAlert({ alertname: 'APIHighLatency', labels: { severity }, startsAt });
  const answer = await deliver(
    app,
    amNotification([alert], { groupKey: `{}:{severity="${severity}",at="${startsAt}"}` }),
  );
  return (answer.incidents as number[])[0]!;
}

async function p95Threshold(id: number) {
  const res = await app.api(`/incidents/${id}/runbook`);
  expect(res.status).toBe(200);
  const { runbook } = (await res.json()) as { runbook: { cells: { id: string; ruleThreshold: unknown }[] } };
  return runbook.cells.find((cell) => cell.id === 'p95')!.ruleThreshold;
}

describe('the rule threshold an incident chart draws', () => {
  it('is the one in force when the incident started, with the decision that moved it and its value today', async () => {
    const warningBefore = await incident('warning', '2026-11-02T09:00:00Z');
    const criticalBefore = await incident('critical', '2026-11-02T09:00:00Z');

    // Both rules are in group api of rules/api.yml: only the line tells them apart.
    const ambiguous = await app.api('/tuning/decisions', {
      method: 'POST',
      json: { alertname: 'APIHighLatency', to: { threshold: 0.6 }, reason: 'noise' },
    });
    expect(ambiguous.status).toBe(409);
    const proposed = await app.api('/tuning/decisions', {
      method: 'POST',
      json: { alertname: 'APIHighLatency', line: 4, to: { threshold: 0.6 }, reason: 'p95 under 0.5 s is noise' },
    });
    expect(proposed.status, await proposed.clone().text()).toBe(201);
    const decision = (await proposed.json()) as { id: number; line: number; from: { threshold: number } };
    expect(decision).toMatchObject({ line: 4, from: { threshold: 0.5 } });
    // A proposal for the critical rule leaves the warning's open: another rule, though of the same group and file.
    const critical = await app.api('/tuning/decisions', {
      method: 'POST',
      json: { alertname: 'APIHighLatency', line: 8, to: { threshold: 2 }, reason: 'pages for blips' },
    });
    expect(critical.status).toBe(201);
    expect(await critical.json()).toMatchObject({ line: 8, from: { threshold: 1 }, status: 'proposed' });
    const warning = (await (await app.api(`/tuning/decisions/${decision.id}`)).json()) as { status: string };
    expect(warning.status).toBe('proposed');

    now = new Date('2026-11-02T11:00:00Z');
    writeFileSync(join(dir, 'rules/api.yml'), RULES.replace('> 0.5', '> 0.6'));
    await rules.reload();
    const warningAfter = await incident('warning', '2026-11-02T11:30:00Z');

    expect(await p95Threshold(warningBefore)).toEqual({
      alertname: 'APIHighLatency',
      group: 'api',
      file: 'rules/api.yml',
      line: 4,
      thresholdIndex: 0,
      operator: '>',
      value: 0.5,
      text: '0.5',
      movedSince: { decisionId: decision.id, appliedAt: now.toISOString(), value: 0.6, text: '0.6' },
    });
    expect(await p95Threshold(warningAfter)).toMatchObject({ value: 0.6, text: '0.6', movedSince: null });
    // The pair's other rule was not touched.
    expect(await p95Threshold(criticalBefore)).toMatchObject({ line: 8, value: 1, movedSince: null });
  });
});
