// Script cells end to end: a real Deno running runbook cells that query a real Prometheus through
// Alertbook's gateway, from the API, the notebook in Chromium and the CLI; an auto cell on an
// incident opened by a real Alertmanager notification.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed, onTestFinished, vi } from 'vitest';
import { locateDeno } from '../../src/script-cells/deno-binary.js';
import { startAlertmanager } from '../support/alertmanager.js';
import { deliver, getIncident, listIncidents } from '../support/api.js';
import { WEBHOOK_TOKEN } from '../support/app.js';
import { runAlertbook } from '../support/cli.js';
import { ARTIFACTS_DIR, openPage } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import type { TestDatabase } from '../support/database.js';
import type { NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

const METRICS = `# TYPE e2e_route_errors gauge
e2e_route_errors{route="/checkout"} 7
e2e_route_errors{route="/cart"} 2
`;

const CHECKOUT_RUNBOOK = `---
id: checkout-errors
title: Checkout errors
alerts: [CheckoutErrors]
---
# Checkout errors

## Diagnosis

\`\`\`ts id=top title="Routes with the most errors"
const result = await query(\`sort_desc(e2e_route_errors{job="\${alert.labels.job}"})\`);
show.table(result.series.map((s) => ({ route: s.metric.route, errors: s.values[0][1] })));
\`\`\`

\`\`\`ts id=trend title="Errors over time"
const result = await queryRange(\`e2e_route_errors{job="\${alert.labels.job}"}\`, { range: '2m', step: '2s' });
show.chart(result.series, { threshold: 5 });
show.markdown(\`**\${result.series.length}** routes, threshold **5** <img src=x onerror=alert(1)>\`);
\`\`\`

\`\`\`ts id=deploys title="Deploy history"
const res = await fetch('http://deploys.internal:8080/history');
show.json(await res.json());
\`\`\`
`;

const AUTO_RUNBOOK = `---
id: checkout-down
title: Checkout down
alerts: [CheckoutDown]
---
# Checkout down

\`\`\`ts id=first-look run=auto
const result = await query(\`sum(e2e_route_errors{job="\${alert.labels.job}"})\`);
show.json({ alert: alert.labels.alertname, errors: result.series[0]?.values[0]?.[1] });
\`\`\`
`;

const notebook = browserNotebook();
const root = notebook.tempDir('alertbook-e2e-scripts-');
const runbooksDir = join(root, 'runbooks');
let prometheus: RunningPrometheus;
let database: TestDatabase;
let server: NotebookServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(runbooksDir);
  writeFileSync(join(runbooksDir, 'checkout-errors.md'), CHECKOUT_RUNBOOK);
  writeFileSync(join(runbooksDir, 'checkout-down.md'), AUTO_RUNBOOK);
  prometheus = notebook.closeAfterServer(await startPrometheus({ metrics: METRICS }));
  ({ database, server, browser } = await notebook.start({
    prometheusUrl: prometheus.url,
    runbooksDir,
    scripts: {
      deno: locateDeno(),
      denoDir: join(root, 'data', 'deno'),
      runbooksDir,
      serviceEnv: {},
      ceiling: { net: [], env: [] },
      concurrency: 2,
    },
    // `auto` cells run off the outbox, as in production (main.ts starts its worker).
    deps: { outbox: { snapshotOnResolve: false } },
  }));
  await prometheus.waitForSeries('e2e_route_errors');
});

afterAll(() => notebook.close());

beforeEach(async () => {
  await server.app.outbox?.drain();
  await database.reset();
  await server.runbooks.reload();
  onTestFailed(() => console.error(`--- Prometheus log ---\n${prometheus.logs()}`));
});

async function openIncident(alertname = 'CheckoutErrors'): Promise<number> {
  const alert = amAlert({ alertname, labels: { job: prometheus.appJob } });
  return ((await deliver(server.app, amNotification([alert]))).incidents as number[])[0]!;
}

/** POST …/run over HTTP as a person of the open loopback mode. */
async function runCell(id: number, cellId: string, user = 'Ben') {
  const res = await fetch(`${server.url}/api/v1/incidents/${id}/cells/${cellId}/run`, {
    method: 'POST',
    headers: { 'x-alertbook-request': '1', 'x-alertbook-user': user },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { actor: string; data: Record<string, unknown> };
}

const TOP_ROWS = [
  { route: '/checkout', errors: 7 },
  { route: '/cart', errors: 2 },
];

describe('script cells against a real Prometheus', () => {
  it('run from the API: outputs from Prometheus, a denial with its grant, on the timeline', async () => {
    const id = await openIncident();
    const top = await runCell(id, 'top');
    expect(top).toMatchObject({ actor: 'Ben', data: { ok: true, outputs: [{ kind: 'table', rows: TOP_ROWS }] } });

    const trend = await runCell(id, 'trend');
    const [chart, markdown] = trend.data.outputs as [
      { kind: string; threshold: number; series: { metric: Record<string, string>; values: unknown[] }[] },
      { kind: string; html: string },
    ];
    expect(chart).toMatchObject({ kind: 'chart', threshold: 5 });
    expect(chart.series.map((s) => s.metric.route).sort()).toEqual(['/cart', '/checkout']);
    expect(chart.series[0]!.values.length).toBeGreaterThan(0);
    expect(markdown.html).toContain('<strong>2</strong> routes');
    expect(markdown.html).not.toContain('onerror');

    const denied = await runCell(id, 'deploys');
    expect(denied.data).toMatchObject({
      ok: false,
      permissionHint: {
        message: 'NotCapable: Requires net access to "deploys.internal:8080"',
        frontmatter: 'net: ["deploys.internal:8080"]',
      },
    });
    const { timeline } = await getIncident(server.app, id);
    expect(timeline.filter((e) => e.type === 'cell.run').map((e) => e.data.cellId)).toEqual([
      'top',
      'trend',
      'deploys',
    ]);
  });

  it('run from the notebook: table, chart and permission error shown, a run by someone else arriving live', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`);
    const cell = (cellId: string) => page.locator(`[data-script-cell="${cellId}"]`);

    await expect
      .poll(() => cell('top').locator('.permission-badge').allTextContents())
      .toEqual(['queries via Alertbook']);
    await expect.poll(() => cell('top').locator('.ts-api').first().textContent()).toBe('query');
    await cell('top').getByRole('button', { name: 'Run' }).click();
    await cell('top').locator('.script-table tbody tr').nth(1).waitFor();
    expect(await cell('top').locator('.script-table tbody tr').allTextContents()).toEqual(['/checkout7', '/cart2']);
    await cell('top').screenshot({ path: `${ARTIFACTS_DIR}script-cells-table.png` });

    await cell('trend').getByRole('button', { name: 'Run' }).click();
    await cell('trend').locator('.uplot canvas').waitFor();
    await expect.poll(() => cell('trend').locator('.script-markdown strong').first().textContent()).toBe('2');
    expect(await cell('trend').locator('.script-markdown img, .script-markdown [onerror]').count()).toBe(0);
    await cell('trend').screenshot({ path: `${ARTIFACTS_DIR}script-cells-chart.png` });

    await cell('deploys').getByRole('button', { name: 'Run' }).click();
    const error = cell('deploys').locator('.script-error');
    await error.waitFor();
    expect(await error.locator('.cell-error-message').textContent()).toBe(
      'NotCapable: Requires net access to "deploys.internal:8080"',
    );
    expect(await error.locator('.script-grant').textContent()).toBe('net: ["deploys.internal:8080"]');
    await cell('deploys').screenshot({ path: `${ARTIFACTS_DIR}script-cells-permission-error.png` });

    // Someone else's run reaches this page through the live connection, no reload.
    await runCell(id, 'top', 'Cleo');
    await expect.poll(() => cell('top').locator('.script-run-line').first().textContent()).toContain('Cleo');
    expect(await cell('top').locator('.script-previous summary').textContent()).toBe('1 earlier runs');
  });

  it('shows the Run button disabled with the reason when the cells may not run', async () => {
    writeFileSync(
      join(runbooksDir, 'checkout-errors.md'),
      CHECKOUT_RUNBOOK.replace(
        'alerts: [CheckoutErrors]',
        'alerts: [CheckoutErrors]\npermissions:\n  env: [DATABASE_URL]',
      ),
    );
    onTestFinished(() => writeFileSync(join(runbooksDir, 'checkout-errors.md'), CHECKOUT_RUNBOOK));
    await server.runbooks.reload();
    const page = await open(`/incidents/${await openIncident()}`);
    const top = page.locator('[data-script-cell="top"]');
    await expect.poll(() => top.locator('.inline-error').textContent()).toMatch(/^Disabled: the runbook asks for more/);
    expect(await top.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    expect(await top.locator('.permission-badge').allTextContents()).toEqual([
      'queries via Alertbook',
      'env DATABASE_URL',
    ]);
  });

  it('run from the CLI: the same cells against the same Prometheus, as text tables', async () => {
    const { code, stdout, stderr } = await runAlertbook(
      [
        'run',
        join(runbooksDir, 'checkout-errors.md'),
        '--cell',
        'top',
        '--label',
        `job=${prometheus.appJob}`,
        '--prometheus',
        prometheus.url,
      ],
      { cwd: root, env: { PATH: process.env.PATH } },
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/route\s+errors\n-+\s+-+\n\/checkout\s+7\n\/cart\s+2\n/);
  });

  it("an auto cell's output is on the timeline of an incident a real Alertmanager notification opened", async () => {
    const alertmanager = await startAlertmanager({
      webhookUrl: `${server.url}/hooks/alertmanager`,
      webhookToken: WEBHOOK_TOKEN,
    });
    onTestFinished(() => alertmanager.close());
    onTestFailed(() => console.error(`--- Alertmanager log ---\n${alertmanager.logs()}`));
    await alertmanager.postAlerts([
      { labels: { alertname: 'CheckoutDown', job: prometheus.appJob }, startsAt: new Date(Date.now() - 60_000) },
    ]);
    const run = await vi.waitFor(
      async () => {
        const [incident] = await listIncidents(server.app);
        expect(incident).toBeDefined();
        const { timeline } = await getIncident(server.app, incident!.id);
        const event = timeline.find((e) => e.type === 'cell.run');
        expect(event).toBeDefined();
        return event!;
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(run).toMatchObject({
      actor: 'alertbook',
      data: {
        cellId: 'first-look',
        ok: true,
        outputs: [{ kind: 'json', value: { alert: 'CheckoutDown', errors: 9 } }],
      },
    });
  });
});

async function open(path: string): Promise<Page> {
  const { context, page, problems } = await openPage(browser, { displayName: 'Ana', width: 1100 });
  onTestFinished(() => context.close());
  onTestFinished(() => expect(problems.errors).toEqual([]));
  await page.goto(`${server.url}${path}`);
  return page;
}
