// axe-core's WCAG 2 A/AA rules on every page of the notebook, light and dark,
// at 1440 px (and 375 px for the pages people open from a phone): zero
// violations (issue #18). Each page state is also kept as a screenshot,
// test/artifacts/a11y-<state>-<width>-<scheme>.png.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { deliver } from '../support/api.js';
import { axeViolations } from '../support/axe.js';
import { startBackfilledPrometheus, type HistorySample } from '../support/backfilled-prometheus.js';
import { openTestPage, screenshot } from '../support/browser.js';
import { browserNotebook, type RunningNotebook } from '../support/browser-notebook.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { proposeThreshold } from '../support/propose-threshold.js';

const MINUTE = 60;
const DAY = 86_400;
/** A week of p95 latency ending two minutes ago: around 0.2 s, with a spike going on now (the incident's). */
const END = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE - 2 * MINUTE;
const START = END - 7 * DAY + MINUTE;
const latency = (time: number) =>
  time >= END - 25 * MINUTE
    ? 0.9
    : Number((0.2 + 0.05 * Math.sin(((time - START) / (90 * MINUTE)) * 2 * Math.PI)).toFixed(4));

const RULES = `groups:
  - name: api
    rules:
      - alert: ApiLatencyHigh
        expr: tune_latency_seconds{service="api"} > 0.24
        for: 2m
        labels:
          severity: warning
`;

const RUNBOOK = (mitigation: string) => `---
id: api-latency
title: API latency high
alerts: [ApiLatencyHigh]
owner: team-api
---
# API latency high

## Meaning

The API answers slower than its users tolerate.

## Diagnosis

\`\`\`promql title="p95 latency" threshold=0.24
tune_latency_seconds{service="{{ $labels.service }}"}
\`\`\`

\`\`\`promql title="Latency now" instant threshold=0.24
tune_latency_seconds{service="{{ $labels.service }}"}
\`\`\`

- [ ] Check the last deploy
- [ ] Compare with the database latency

## Mitigation

\`\`\`sh
kubectl rollout undo deploy/api
\`\`\`

${mitigation}
`;

type Scheme = 'light' | 'dark';
interface Variant {
  width: number;
  colorScheme: Scheme;
}

const DESKTOP: Variant[] = [
  { width: 1440, colorScheme: 'light' },
  { width: 1440, colorScheme: 'dark' },
];
/** The pages people open from a phone as well. */
const DESKTOP_AND_PHONE: Variant[] = [
  ...DESKTOP,
  { width: 375, colorScheme: 'light' },
  { width: 375, colorScheme: 'dark' },
];

/**
 * `path` of the notebook in each variant: once `ready` says the page has drawn what
 * it shows, a screenshot, and axe's violations; all of them listed per variant.
 */
async function violationsOf(
  notebook: RunningNotebook,
  state: string,
  path: string,
  variants: Variant[],
  ready: (page: Page) => Promise<unknown>,
  options: { displayName?: string } = { displayName: 'Ana' },
): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const { width, colorScheme } of variants) {
    const page = await openTestPage(notebook.browser, `${notebook.server.url}${path}`, {
      width,
      height: width < 900 ? 812 : 900,
      colorScheme,
      ...options,
    });
    await ready(page);
    await screenshot(page, `a11y-${state}-${width}-${colorScheme}`);
    const violations = await axeViolations(page);
    if (violations.length > 0) found[`${state} ${width} ${colorScheme}`] = violations;
  }
  return found;
}

/** No violation in any variant; the message lists every one, each on its line. */
function expectNone(found: Record<string, string[]>): void {
  const lines = Object.entries(found).flatMap(([variant, violations]) => violations.map((v) => `${variant}: ${v}`));
  expect(lines, `\n${lines.join('\n')}\n`).toEqual([]);
}

describe('the notebook over a week of history', () => {
  const notebook = browserNotebook();
  const dir = notebook.tempDir('alertbook-a11y-');
  let running: RunningNotebook;

  beforeAll(async () => {
    mkdirSync(join(dir, 'runbooks/rules'), { recursive: true });
    writeFileSync(join(dir, 'runbooks/rules/api.yaml'), RULES);
    writeFileSync(join(dir, 'runbooks/api-latency.md'), RUNBOOK('- [ ] Roll back'));
    // Removed before the pages are visited: the runbooks list shows it as removed.
    writeFileSync(join(dir, 'runbooks/old-queue.md'), '---\nid: old-queue\ntitle: Old queue runbook\n---\n# Old\n');
    const rules = new RuleFiles({ patterns: ['runbooks/rules/*.yaml'], cwd: dir });
    await rules.reload();
    const samples: HistorySample[] = [];
    for (let time = START; time <= END; time += MINUTE) samples.push([time, latency(time)]);
    const prometheus = notebook.closeAfterServer(
      await startBackfilledPrometheus([{ metric: 'tune_latency_seconds', labels: { service: 'api' }, samples }]),
    );
    running = await notebook.start({ prometheusUrl: prometheus.url, runbooksDir: join(dir, 'runbooks'), rules });
  });

  afterAll(() => notebook.close());

  it('the first run: no incidents yet, and the steps to wire Alertmanager', async () => {
    const found = await violationsOf(running, 'first-run', '/', DESKTOP_AND_PHONE, (page) =>
      page.getByText('No incidents. All quiet.').waitFor(),
    );
    expectNone(found);
  });

  it('the prompt for a display name (loopback-open mode)', async () => {
    const found = await violationsOf(
      running,
      'name-prompt',
      '/',
      DESKTOP,
      (page) => page.getByRole('dialog').getByLabel('Display name').waitFor(),
      {},
    );
    expectNone(found);
  });

  describe('with incidents, notes, steps, a snapshot and a tuning decision', () => {
    let incident: number;
    let unlinked: number;
    let decision: number;
    const asBen = { method: 'POST', headers: { 'x-alertbook-user': 'Ben' } };

    beforeAll(async () => {
      const { app } = running.server;
      const latencyAlert = amAlert({
        alertname: 'ApiLatencyHigh',
        labels: { service: 'api', severity: 'warning' },
        startsAt: new Date((END - 20 * MINUTE) * 1000).toISOString(),
      });
      incident = ((await deliver(app, amNotification([latencyAlert]))).incidents as number[])[0]!;
      // One incident in each state, one of them of an alert no runbook serves.
      unlinked = (
        (await deliver(app, amNotification([amAlert({ alertname: 'QueueStuck', labels: { queue: 'orders' } })])))
          .incidents as number[]
      )[0]!;
      await app.api(`/incidents/${unlinked}/ack`, asBen);
      await deliver(
        app,
        amNotification([amAlert({ alertname: 'DiskFull', status: 'resolved', labels: { instance: 'db-1:9100' } })]),
      );
      await app.api(`/incidents/${incident}/notes`, {
        ...asBen,
        json: { text: 'The **02:10 deploy** doubled the pool size; rolling back.' },
      });
      await app.api(`/incidents/${incident}/notes`, {
        method: 'POST',
        headers: { 'x-alertbook-user': 'Ana' },
        json: { text: 'Latency follows the pool size.' },
      });
      await app.api(`/incidents/${incident}/steps/step-check-the-last-deploy`, {
        ...asBen,
        json: { checked: true },
      });
      const snapshot = await app.api(`/incidents/${incident}/snapshots`, {
        ...asBen,
        json: { cellId: 'p95-latency', start: END - 3600, end: END, step: 60 },
      });
      expect(snapshot.status, await snapshot.clone().text()).toBe(201);

      const answer = await proposeThreshold(app, {
        alertname: 'ApiLatencyHigh',
        threshold: 0.31,
        reason: 'p95 + 25 %',
        incidentId: incident,
      });
      expect(answer.status, await answer.clone().text()).toBe(201);
      decision = ((await answer.json()) as { id: number }).id;

      // A second version of the runbook: the runbook page lists both and their diff.
      writeFileSync(join(dir, 'runbooks/api-latency.md'), RUNBOOK('- [ ] Roll back\n- [ ] Tell the status page'));
      rmSync(join(dir, 'runbooks/old-queue.md'));
      await running.server.runbooks.reload();
    });

    it('the incidents list', async () => {
      const found = await violationsOf(running, 'incidents', '/', DESKTOP_AND_PHONE, (page) =>
        page.locator('.incident-row').nth(2).waitFor(),
      );
      expectNone(found);
    });

    it('an incident: runbook, live cells, steps, notes, a snapshot on the timeline', async () => {
      const found = await violationsOf(
        running,
        'incident',
        `/incidents/${incident}`,
        DESKTOP_AND_PHONE,
        async (page) => {
          await page.locator('section.cell[aria-label="p95 latency"] .u-legend').waitFor({ timeout: 20_000 });
          await page.locator('section.cell[aria-label="Latency now"] table').waitFor({ timeout: 20_000 });
          await page.locator('.event-cell-snapshot .u-legend').waitFor();
          await page.locator('.event-note-added').nth(1).waitFor();
          await page.locator('.banner', { hasText: 'A newer version' }).waitFor();
        },
      );
      expectNone(found);
    });

    it('an incident with its export menu, the runbook changes and a note being edited open', async () => {
      const found = await violationsOf(running, 'incident-open', `/incidents/${incident}`, DESKTOP, async (page) => {
        await page.locator('.banner').getByRole('button', { name: 'Show changes' }).click();
        await page.locator('.banner .diff-add').first().waitFor();
        const mine = page.locator('.event-note-added', { hasText: 'Note by Ana' });
        await mine.getByRole('button', { name: 'Edit' }).click();
        await mine.getByLabel('Edit note').waitFor();
        // Last: the open menu lies over the page's top.
        await page.getByText('Export', { exact: true }).click();
        await page.getByRole('button', { name: /^Markdown/ }).waitFor();
      });
      expectNone(found);
    });

    it('an incident no runbook serves, with the runbook picker open', async () => {
      const found = await violationsOf(
        running,
        'incident-unlinked',
        `/incidents/${unlinked}`,
        DESKTOP_AND_PHONE,
        async (page) => {
          await page.locator('.incident-header', { hasText: 'QueueStuck' }).waitFor();
          await page.getByRole('button', { name: 'Link a runbook' }).click();
          await page.getByRole('searchbox', { name: 'Search the runbooks' }).waitFor();
        },
      );
      expectNone(found);
    });

    it('the keyboard shortcuts overlay', async () => {
      const found = await violationsOf(running, 'shortcuts', `/incidents/${incident}`, DESKTOP, async (page) => {
        await page.locator('.incident-header').waitFor();
        await page.keyboard.press('?');
        await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      });
      expectNone(found);
    });

    it('the tune panel (?tune=1)', async () => {
      const found = await violationsOf(running, 'tune', `/incidents/${incident}?tune=1`, DESKTOP, async (page) => {
        const backtest = page.getByRole('table', { name: 'Backtest' });
        await expect
          .poll(() => backtest.locator('tbody tr', { hasText: 'Episodes' }).locator('td').last().textContent(), {
            timeout: 30_000,
          })
          .toMatch(/^\d+$/);
        await page.locator('.tune-chart canvas').waitFor();
      });
      expectNone(found);
    });

    it('the runbooks list', async () => {
      const found = await violationsOf(running, 'runbooks', '/runbooks', DESKTOP_AND_PHONE, async (page) => {
        await page.locator('tr', { hasText: 'API latency high' }).waitFor();
        await page.locator('tr.removed', { hasText: 'Old queue runbook' }).waitFor();
      });
      expectNone(found);
    });

    it('a runbook, its versions and a diff between them', async () => {
      const found = await violationsOf(running, 'runbook', '/runbooks/api-latency', DESKTOP, (page) =>
        page.locator('.versions li').nth(1).waitFor(),
      );
      const page = await openTestPage(running.browser, `${running.server.url}/runbooks/api-latency`, {
        width: 1440,
        displayName: 'Ana',
      });
      await page.getByRole('link', { name: 'diff with previous' }).click();
      await page.locator('.diff-add').first().waitFor();
      const diff = await violationsOf(
        running,
        'runbook-diff',
        new URL(page.url()).pathname + new URL(page.url()).search,
        DESKTOP,
        (p) => p.locator('.diff-add').first().waitFor(),
      );
      expectNone({ ...found, ...diff });
    });

    it('the tuning list and a decision', async () => {
      const found = await violationsOf(running, 'tuning', '/tuning', DESKTOP, (page) =>
        page.locator(`#decision-${decision}`).waitFor(),
      );
      const page = await violationsOf(running, 'tuning-decision', `/tuning/${decision}`, DESKTOP, (p) =>
        p.locator('.diff-add').first().waitFor(),
      );
      expectNone({ ...found, ...page });
    });
  });
});

describe('the weekly reports over a generated history', () => {
  const WEEK_PAGE = '/reports/2026-W43?tz=Europe/Berlin';
  const history = historyGenerator();
  const notebook = browserNotebook();
  const runbooksDir = notebook.tempDir('alertbook-a11y-reports-');
  let running: RunningNotebook;

  beforeAll(async () => {
    running = await notebook.start({ runbooksDir, deps: history.deps });
    await history.attach(running.server.app);
    await buildDstWeekHistory(history);
  });

  afterAll(async () => {
    await notebook.close();
    history.cleanup();
  });

  it('the list of weeks, a week, and the incidents behind a figure', async () => {
    const list = await violationsOf(running, 'reports', '/reports?tz=Europe/Berlin', DESKTOP, (page) =>
      page.locator('.report-weeks tbody tr').first().waitFor(),
    );
    let incidentsPath = '';
    const week = await violationsOf(running, 'report', WEEK_PAGE, DESKTOP, async (page) => {
      await page.locator('#definitions').waitFor();
      await page.locator('#chart-mttr canvas').waitFor();
      incidentsPath = (await page.locator('#volume tbody tr a.report-figure').first().getAttribute('href')) ?? '';
    });
    expect(incidentsPath).toMatch(/^\/reports\/incidents\?/);
    const incidents = await violationsOf(running, 'report-incidents', incidentsPath, DESKTOP, (page) =>
      page.locator('.report-recount-list li').first().waitFor(),
    );
    expectNone({ ...list, ...week, ...incidents });
  });
});

describe('a server that asks for an API token', () => {
  const notebook = browserNotebook();
  const runbooksDir = notebook.tempDir('alertbook-a11y-sign-in-');
  let running: RunningNotebook;

  beforeAll(async () => {
    running = await notebook.start({
      // Nothing here queries Prometheus: an address nobody listens on.
      prometheusUrl: 'http://127.0.0.1:9',
      runbooksDir,
      apiTokens: [{ name: 'ana', token: 'ana-secret-token' }],
    });
  });

  afterAll(() => notebook.close());

  it('the sign-in prompt', async () => {
    const found = await violationsOf(
      running,
      'sign-in',
      '/',
      DESKTOP_AND_PHONE,
      (page) => page.getByRole('dialog', { name: 'Sign in with an API token' }).waitFor(),
      {},
    );
    expectNone(found);
  });
});
