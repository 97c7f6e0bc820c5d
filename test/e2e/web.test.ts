// The notebook in a real browser (Debian's Chromium through playwright-core),
// served with the live hub over a real Prometheus on loopback.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { JS_BUDGET_GZIP_BYTES, buildWeb } from '../../web/build.js';
import { deliver } from '../support/api.js';
import { openPage, screenshot, type PageOptions } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startNotebookServer, type NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

const queueMetrics = (orders: number) => `# TYPE e2e_queue_depth gauge
e2e_queue_depth{queue="orders"} ${orders}
e2e_queue_depth{queue="payments"} 2
`;

const QUEUE_RUNBOOK = `---
id: queue-backlog
title: Orders queue backlog
alerts: [QueueBacklogHigh]
owner: team-orders
---
# Orders queue backlog

## Meaning

Messages wait in the queue longer than the consumers can keep up with.

## Diagnosis

\`\`\`promql title="Queue depth" step=2s refresh=1s threshold=3
e2e_queue_depth{job="{{ $labels.job }}"}
\`\`\`

\`\`\`promql title="Depth now" instant refresh=1s threshold=3
e2e_queue_depth{job="{{ $labels.job }}"}
\`\`\`

- [ ] Check the consumer pods
- [ ] Compare with the last deploy

## Mitigation

Scale the consumers out.
`;

// Every vector of the sanitizer's corpus, in the prose, a cell title, a step and a shell block.
const XSS_VECTORS = (
  parse(readFileSync(new URL('../fixtures/runbooks/xss/corpus.yaml', import.meta.url), 'utf8')) as {
    markdown: string;
  }[]
).map((entry) => entry.markdown);
const XSS_RUNBOOK = `---
id: xss-probe
title: XSS probe <img src=x onerror=alert(1)>
alerts: [XssProbe]
---
# Hostile runbook

${XSS_VECTORS.join('\n\n')}

## Diagnosis

\`\`\`promql title="<script>alert(1)</script>" threshold=1
e2e_queue_depth{job="{{ $labels.job }}"}
\`\`\`

- [ ] <img src=x onerror=alert(1)> tick me

\`\`\`sh
echo "<script>alert(1)</script>"
\`\`\`
`;

const notebook = browserNotebook();
const runbooksDir = notebook.tempDir('alertbook-web-runbooks-');
let prometheus: RunningPrometheus;
let database: TestDatabase;
let server: NotebookServer;
let browser: Browser;

beforeAll(async () => {
  writeRunbooks();
  prometheus = notebook.closeAfterServer(await startPrometheus({ metrics: queueMetrics(1) }));
  ({ database, server, browser } = await notebook.start({ prometheusUrl: prometheus.url, runbooksDir }));
  await prometheus.waitForSeries('e2e_queue_depth');
});

afterAll(() => notebook.close());

function writeRunbooks(queueRunbook = QUEUE_RUNBOOK): void {
  writeFileSync(join(runbooksDir, 'queue-backlog.md'), queueRunbook);
  writeFileSync(join(runbooksDir, 'xss-probe.md'), XSS_RUNBOOK);
}

beforeEach(async () => {
  prometheus.setMetrics(queueMetrics(1));
  writeRunbooks();
  await database.reset();
  // The reset emptied the runbook tables too.
  await server.runbooks.reload();
});

/** An incident of `alertname` on the job Prometheus scrapes the test's metrics as, started two minutes ago. */
async function openIncident(alertname = 'QueueBacklogHigh', labels: Record<string, string> = {}): Promise<number> {
  const alert = amAlert({
    alertname,
    labels: { job: prometheus.appJob, severity: 'critical', ...labels },
    startsAt: new Date(Date.now() - 120_000).toISOString(),
  });
  const answer = await deliver(
    server.app,
    amNotification([{ ...alert, generatorURL: `${prometheus.url}/graph?g0.expr=e2e_queue_depth+%3E+3&g0.tab=1` }], {
      externalURL: 'http://alertmanager.test:9093',
    }),
  );
  return (answer.incidents as number[])[0]!;
}

/** A page in its own browser context; page errors fail the test. */
async function open(path: string, options: PageOptions = {}): Promise<Page> {
  const { context, page, problems } = await openPage(browser, { displayName: 'Ana', ...options });
  onTestFinished(() => context.close());
  onTestFinished(() => expect(problems.errors).toEqual([]));
  onTestFailed(() => console.error(`--- Prometheus log ---\n${prometheus.logs()}`));
  await page.goto(`${server.url}${path}`);
  return page;
}

/** Pixels of the first palette colour (#4e79a7) in a cell's chart: a series was drawn. */
function drawnSeriesPixels(page: Page, cellTitle: string): Promise<number> {
  return page.evaluate((title) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`section.cell[aria-label="${title}"] .chart canvas`);
    const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let count = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (
        Math.abs(pixels[i]! - 0x4e) < 12 &&
        Math.abs(pixels[i + 1]! - 0x79) < 12 &&
        Math.abs(pixels[i + 2]! - 0xa7) < 12
      )
        count++;
    }
    return count;
  }, cellTitle);
}

/** The per-cell range control: the "Queue depth" chart over the last 5 minutes. */
async function zoomToLast5m(page: Page): Promise<void> {
  await page.locator('section.cell[aria-label="Queue depth"] select').first().selectOption('300');
}

describe('the incidents page', () => {
  it('shows an incident created through the webhook without a reload', async () => {
    const page = await open('/');
    await page.getByText('No incidents. All quiet.').waitFor();
    // Survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    const id = await openIncident();

    const row = page.locator(`#incident-${id}`);
    await row.waitFor({ timeout: 5_000 });
    await expect(row.textContent()).resolves.toContain('QueueBacklogHigh');
    // The tab says so too: a background tab at 3 a.m.
    await page.waitForFunction(() => document.title === '(1 firing) Incidents · Alertbook', null, { timeout: 5_000 });
    await expect(row.locator('.badge-firing').textContent()).resolves.toBe('firing');
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
  });

  it('orders firing before acknowledged before resolved, and acknowledges from the keyboard', async () => {
    const acknowledged = await openIncident('QueueBacklogHigh', { queue: 'a' });
    await server.app.api(`/incidents/${acknowledged}/ack`, { method: 'POST', headers: { 'x-alertbook-user': 'Ben' } });
    const firing = await openIncident('XssProbe');
    const page = await open('/');
    await page.locator('.incident-row').nth(1).waitFor();
    const order = await page.locator('.incident-row').evaluateAll((rows) => rows.map((row) => row.id));
    expect(order).toEqual([`incident-${firing}`, `incident-${acknowledged}`]);

    await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page.locator(`#incident-${firing} .badge-acknowledged`).waitFor({ timeout: 5_000 });
    await expect(page.locator(`#incident-${firing}`).textContent()).resolves.toContain('ack: Ana');
  });
});

describe('the first run', () => {
  it("shows the wiring steps with this server's address, and a test alert opens an incident", async () => {
    const page = await open('/');
    await page.getByText('No incidents. All quiet.').waitFor();
    await expect(page.locator('.first-run').textContent()).resolves.toContain(`${server.url}/hooks/alertmanager`);
    // This server wants a webhook token: the receiver presents it.
    await expect(page.locator('.first-run pre').first().textContent()).resolves.toContain(
      'credentials: <ALERTBOOK_WEBHOOK_TOKEN>',
    );
    await page.getByRole('button', { name: 'Send a test alert' }).click();
    await page.waitForURL(/\/incidents\/\d+$/, { timeout: 10_000 });
    await page.locator('.incident-header', { hasText: 'AlertbookTestAlert' }).waitFor({ timeout: 5_000 });
  });

  it('leaves the credentials line out when the webhook runs open, and says what to add before exposing it', async () => {
    const openDatabase = await createTestDatabase();
    const openServer = await startNotebookServer({
      database: openDatabase,
      runbooksDir,
      deps: { config: { webhookToken: undefined, apiTokens: [], bodyLimit: 16 * 1024 * 1024 } },
    });
    onTestFinished(() => openServer.close());
    const { context, page, problems } = await openPage(browser, { displayName: 'Ana' });
    onTestFinished(() => context.close());
    await page.goto(openServer.url);
    const note = page.getByText(/runs open \(no ALERTBOOK_WEBHOOK_TOKEN\)/);
    await note.waitFor();
    expect(await note.textContent()).toContain('http_config: { authorization: { credentials: <token> } }');
    const receiver = (await page.locator('.first-run pre').first().textContent()) ?? '';
    expect(receiver).toContain(`${openServer.url}/hooks/alertmanager`);
    expect(receiver).not.toContain('http_config');
    await screenshot(page, 'first-run-open');
    expect(problems.errors).toEqual([]);
  });
});

describe('the incident notebook', () => {
  it('shows the earlier incidents of its alert, each with its last note, linked', async () => {
    const before = await openIncident();
    const as = { 'x-alertbook-user': 'Ben' };
    const noted = await server.app.api(`/incidents/${before}/notes`, {
      method: 'POST',
      json: { text: 'Consumers were scaled to zero by the deploy; scaled back to 4.' },
      headers: as,
    });
    expect(noted.status).toBe(201);
    expect((await server.app.api(`/incidents/${before}/resolve`, { method: 'POST', headers: as })).status).toBe(200);
    const now = await openIncident();
    expect(now).not.toBe(before);

    const page = await open(`/incidents/${now}`);
    const panel = page.locator('section.earlier-incidents');
    await panel.waitFor();
    expect(await panel.locator('h2').textContent()).toBe('Earlier incidents 1');
    const item = panel.locator('li');
    expect(await item.locator('.earlier-note').textContent()).toBe(
      'Consumers were scaled to zero by the deploy; scaled back to 4. — Ben',
    );
    expect(await item.locator('div.muted').textContent()).toMatch(/ago · resolved by Ben after \d+[sm]$/);
    await screenshot(page, 'incident-earlier');
    await item.getByRole('link').click();
    await page.waitForURL(new RegExp(`/incidents/${before}$`));
    // The first incident of its alert says so.
    expect(await page.locator('section.earlier-incidents p').textContent()).toBe(
      'The first QueueBacklogHigh incident Alertbook has recorded.',
    );
  });

  it('draws a live chart with data from Prometheus and updates it on the next tick', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`);
    const cell = page.locator('section.cell[aria-label="Queue depth"]');
    // Prometheus started seconds ago: a short window shows its data across the chart.
    await zoomToLast5m(page);
    const legend = cell.locator('.u-legend');
    await legend.getByText('{queue="orders"}').waitFor({ timeout: 15_000 });
    await expect(legend.textContent()).resolves.toContain('{queue="payments"}');
    await expect.poll(() => drawnSeriesPixels(page, 'Queue depth'), { timeout: 10_000 }).toBeGreaterThan(20);
    // Away from the cursor the legend shows each series' latest value.
    const ordersValue = cell.locator('.u-legend tr', { hasText: 'orders' }).locator('.u-value');
    await expect.poll(() => ordersValue.textContent(), { timeout: 10_000 }).toBe('1');

    prometheus.setMetrics(queueMetrics(7));
    await expect.poll(() => ordersValue.textContent(), { timeout: 15_000 }).toBe('7');
    // The instant cell is a table of the latest values, the threshold crossing marked.
    const table = page.locator('section.cell[aria-label="Depth now"] table');
    await expect.poll(() => table.locator('tr.over-threshold').textContent(), { timeout: 20_000 }).toContain('7');
  });

  it('shows a step ticked in one browser in another within 2 s, with who ticked it', async () => {
    const id = await openIncident();
    const ana = await open(`/incidents/${id}`, { displayName: 'Ana' });
    const ben = await open(`/incidents/${id}`, { displayName: 'Ben' });
    const step = 'input[data-step-id="step-check-the-consumer-pods"]';
    await ana.locator(step).waitFor();
    await ben.locator(step).waitFor();
    // Both notebooks are watching before anything changes.
    await ben.getByText('live', { exact: true }).waitFor();

    await ana.locator(step).check();
    const ticked = Date.now();
    await ben.waitForFunction(
      (selector) => {
        const box = document.querySelector<HTMLInputElement>(selector);
        return box?.checked === true && box.parentElement?.querySelector('.step-by')?.textContent?.includes('Ana');
      },
      step,
      { timeout: 2_000 },
    );
    expect(Date.now() - ticked).toBeLessThan(2_000);
  });

  it('acknowledges from the notebook: the status changes and the timeline says who', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`, { displayName: 'Ana' });
    await page.waitForFunction(() => /^Firing: .+ · Alertbook$/.test(document.title), null, { timeout: 5_000 });
    await page.getByRole('button', { name: /Acknowledge/ }).click();
    await page.locator('.incident-header .badge-acknowledged').waitFor({ timeout: 5_000 });
    await page.waitForFunction(() => /^Acknowledged: .+ · Alertbook$/.test(document.title), null, { timeout: 5_000 });
    await page.locator('.event-incident-acknowledged', { hasText: 'Acknowledged by Ana' }).waitFor({ timeout: 5_000 });
    await expect(page.locator('.incident-header').textContent()).resolves.toContain('by Ana');
    await expect(page.getByRole('button', { name: /Acknowledge/ }).count()).resolves.toBe(0);
  });

  it('resolves from the notebook, and says when its alerts still fire in Alertmanager', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`, { displayName: 'Ana' });
    const alerts = page.locator('.incident-header .facts div', { hasText: 'Alerts' });
    await expect(alerts.textContent()).resolves.toContain('1 firing of 1');
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.incident-header .badge-resolved').waitFor({ timeout: 5_000 });
    expect(asked).toEqual([
      'Resolve this incident? Alerts still firing stay with it; a new alert of its group opens a new one.',
    ]);
    await expect(page.locator('.incident-header').textContent()).resolves.toContain('by Ana');
    await expect(alerts.textContent()).resolves.toContain('1 of 1 still firing in Alertmanager');
  });

  it("edits and deletes one's own note; someone else's note offers neither", async () => {
    const id = await openIncident();
    await server.app.api(`/incidents/${id}/notes`, {
      method: 'POST',
      json: { text: 'note by Ben' },
      headers: { 'X-Alertbook-User': 'Ben' },
    });
    const page = await open(`/incidents/${id}`, { displayName: 'Ana' });
    await page.locator('#note-text').fill('first *text*');
    await page.getByRole('button', { name: 'Add note' }).click();
    const mine = page.locator('.event-note-added', { hasText: 'Note by Ana' });
    await mine.locator('em', { hasText: 'text' }).waitFor({ timeout: 5_000 });
    const bens = page.locator('.event-note-added', { hasText: 'Note by Ben' });
    await expect(bens.getByRole('button').count()).resolves.toBe(0);

    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Edit note').fill('second text');
    await mine.getByRole('button', { name: 'Save' }).click();
    await mine.getByText('second text').waitFor({ timeout: 5_000 });
    await mine.getByText('edited', { exact: true }).waitFor();
    await page.locator('.event-note-edited', { hasText: 'Note edited by Ana' }).waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await mine.getByRole('button', { name: 'Delete' }).click();
    await mine.getByText('This note was deleted.').waitFor({ timeout: 5_000 });
    await page.locator('.event-note-deleted', { hasText: 'Note deleted by Ana' }).waitFor();
  });

  it('exports the incident as a markdown postmortem draft from the header', async () => {
    const id = await openIncident();
    await server.app.api(`/incidents/${id}/notes`, {
      method: 'POST',
      json: { text: 'Consumers stuck on a lock' },
      headers: { 'X-Alertbook-User': 'Ana' },
    });
    const page = await open(`/incidents/${id}`);
    await page.getByText('Export', { exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Markdown/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`incident-${id}.md`);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toMatch(new RegExp(`^# Incident ${id}: `));
    expect(text).toContain('> Consumers stuck on a lock');
  });

  it('pins a snapshot of a cell, drawn on the timeline as a static chart', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`);
    await zoomToLast5m(page);
    const cell = page.locator('section.cell[aria-label="Queue depth"]');
    await expect.poll(() => drawnSeriesPixels(page, 'Queue depth'), { timeout: 15_000 }).toBeGreaterThan(20);
    await cell.getByRole('button', { name: 'Pin snapshot' }).click();
    await cell.getByRole('button', { name: 'Pinned ✓' }).waitFor({ timeout: 10_000 });
    const snapshot = page.locator('.event-cell-snapshot');
    await snapshot.getByText('Snapshot pinned by Ana').waitFor({ timeout: 5_000 });
    await expect(snapshot.locator('figcaption').textContent()).resolves.toContain('Queue depth');
    await expect(snapshot.locator('.u-legend').textContent()).resolves.toContain('{queue="orders"}');
  });

  it('says when the runbook has a newer version than the pinned one, and shows the diff', async () => {
    const id = await openIncident();
    writeRunbooks(
      QUEUE_RUNBOOK.replace('Scale the consumers out.', 'Scale the consumers out, then drain the dead-letter queue.'),
    );
    await server.runbooks.reload();
    const page = await open(`/incidents/${id}`);
    const banner = page.locator('.banner');
    await banner.getByText('A newer version').waitFor();
    // The incident still shows the version it was opened with.
    await expect(page.locator('.runbook-body').textContent()).resolves.not.toContain('dead-letter');
    await banner.getByRole('button', { name: 'Show changes' }).click();
    await expect(banner.locator('.diff-del').textContent()).resolves.toContain('-Scale the consumers out.');
    await expect(banner.locator('.diff-add').textContent()).resolves.toContain(
      '+Scale the consumers out, then drain the dead-letter queue.',
    );
  });

  it('checks a scratch query as it is typed, and runs it as a live cell', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`);
    const editor = page.getByRole('textbox', { name: 'PromQL query' });
    await editor.fill('sum by (queue) (e2e_queue_depth');
    const scratch = page.locator('section.scratch');
    await expect(scratch.locator('.cell-error-message').textContent()).resolves.toContain(
      'Syntax error: unexpected end of query',
    );
    await expect(scratch.getByRole('button', { name: 'Run' }).isDisabled()).resolves.toBe(true);

    await editor.fill('sum by (queue) (e2e_queue_depth)');
    await expect(scratch.locator('.cell-error').count()).resolves.toBe(0);
    await editor.press('Control+Enter');
    await scratch.locator('.u-legend').getByText('{queue="payments"}').waitFor({ timeout: 15_000 });
  });

  it('asks for a display name once and records it on what the person does', async () => {
    const id = await openIncident();
    const { context, page } = await openPage(browser);
    onTestFinished(() => context.close());
    await page.goto(`${server.url}/incidents/${id}`);
    await page.getByRole('dialog').getByLabel('Display name').fill('Cleo');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: /Acknowledge/ }).click();
    await page.locator('.event-incident-acknowledged', { hasText: 'Acknowledged by Cleo' }).waitFor({ timeout: 5_000 });
    await page.reload();
    await page.locator('.incident-header').waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
  });

  it('shows "reconnecting" while the live socket is down, then subscribes its cells again', async () => {
    const id = await openIncident();
    const { context, page } = await openPage(browser, { displayName: 'Ana' });
    onTestFinished(() => context.close());
    // A stand-in for the hub, so the test decides when the connection drops.
    const sockets: WebSocketRoute[] = [];
    const subscribed: string[][] = [];
    await page.routeWebSocket(/\/api\/v1\/live$/, (socket) => {
      const index = sockets.push(socket) - 1;
      subscribed[index] = [];
      socket.onMessage((text) => {
        const message = JSON.parse(String(text)) as { type: string; cell?: { cellId?: string } };
        if (message.type === 'subscribe') subscribed[index]!.push(message.cell?.cellId ?? '?');
      });
      // The hub greets a client once it is ready; on the reconnection it takes its time.
      const hello = () => socket.send(JSON.stringify({ type: 'hello', version: 1, actor: 'Ana', limits: {} }));
      if (index === 0) hello();
      else setTimeout(hello, 1_000);
    });
    await page.goto(`${server.url}/incidents/${id}`);
    await page.getByText('live', { exact: true }).waitFor();
    await expect.poll(() => subscribed[0]?.sort()).toEqual(['depth-now', 'queue-depth']);

    await sockets[0]!.close({ code: 1001, reason: 'server shutting down' });
    await page.getByText('reconnecting…').waitFor({ timeout: 2_000 });
    await page.getByText('live', { exact: true }).waitFor({ timeout: 5_000 });
    await expect.poll(() => subscribed[1]?.sort()).toEqual(['depth-now', 'queue-depth']);
  });

  it('renders a runbook and a note full of XSS vectors without running anything or requesting anything', async () => {
    const id = await openIncident('XssProbe');
    await server.app.api(`/incidents/${id}/notes`, {
      method: 'POST',
      json: { text: XSS_VECTORS.join('\n\n') },
      headers: { 'x-alertbook-user': 'Mallory' },
    });
    const { context, page, problems } = await openPage(browser, { displayName: 'Ana' });
    onTestFinished(() => context.close());
    const dialogs: string[] = [];
    // The notebook's own requests: the page, its assets, the API. Anything else came from the runbook.
    const own = new RegExp(`^${server.url}/(incidents/${id}$|assets/|api/v1/)`);
    const unexpectedRequests: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (!own.test(request.url())) unexpectedRequests.push(request.url());
    });
    await page.goto(`${server.url}/incidents/${id}`);
    await page.locator('.runbook-body h1', { hasText: 'Hostile runbook' }).waitFor();
    await page.locator('.event-note-added').waitFor();
    await page.locator('input[data-step-id="step-tick-me"]').check();
    await page.locator('.step-by', { hasText: 'Ana' }).waitFor();
    await page.waitForTimeout(1_000);

    expect(dialogs).toEqual([]);
    expect(unexpectedRequests).toEqual([]);
    const executable = await page.evaluate(() => {
      const found: string[] = [];
      for (const element of document.querySelectorAll('.runbook-body *, .note-body *')) {
        if (
          ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'SVG', 'FORM', 'BASE', 'META'].includes(
            element.tagName.toUpperCase(),
          )
        )
          found.push(element.tagName);
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name) || /^\s*(javascript|vbscript|data):/i.test(attribute.value))
            found.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
        }
      }
      return found;
    });
    expect(executable).toEqual([]);
    // Whatever the sanitizer let through, the CSP would have refused: only its refusals may be logged.
    expect(problems.errors.filter((e) => !e.includes('Content Security Policy'))).toEqual([]);
  });
});

describe('the runbooks pages', () => {
  it('list the runbooks with owner and alerts, and show a runbook with its versions and their diff', async () => {
    writeRunbooks(
      QUEUE_RUNBOOK.replace('Scale the consumers out.', 'Scale the consumers out; check the dead-letter queue.'),
    );
    await server.runbooks.reload();
    const list = await open('/runbooks');
    const row = list.locator('tr', { hasText: 'Orders queue backlog' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/QueueBacklogHigh.*team-orders/);
    // The version's age is when this Alertbook loaded it, said so: not the file's change time.
    await expect(row.locator('td[data-label="Version"]').textContent()).resolves.toMatch(
      /^[0-9a-f]{7} loaded (just now|\d+[smh] ago)$/,
    );

    // The runbook and its history load apart: held back, the history says it is loading, not that there is none.
    let releaseHistory = () => {};
    const historyHeld = new Promise<void>((resolve) => {
      releaseHistory = resolve;
    });
    await list.route('**/api/v1/runbooks/*/versions', async (route) => {
      await historyHeld;
      await route.continue();
    });
    await row.getByRole('link', { name: 'Orders queue backlog' }).click();
    await expect(list.locator('.runbook-body').textContent()).resolves.toContain('dead-letter');
    await list.getByText('Loading versions…').waitFor();
    await expect(list.locator('.versions').count()).resolves.toBe(0);
    releaseHistory();
    await list.locator('.versions').waitFor();
    await expect(list.locator('.versions li').count()).resolves.toBe(2);
    await list.getByRole('link', { name: 'diff with previous' }).click();
    await expect(list.locator('.diff-add').textContent()).resolves.toContain(
      '+Scale the consumers out; check the dead-letter queue.',
    );
    expect(new URL(list.url()).searchParams.get('from')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('screenshots for review (test/artifacts/)', () => {
  it('captures the incidents page and a notebook at 1280 and 375 px, light and dark', async () => {
    // One incident in each state, so the list shows its whole ordering.
    const id = await openIncident();
    const acknowledged = await openIncident('XssProbe', { queue: 'payments' });
    await server.app.api(`/incidents/${acknowledged}/ack`, { method: 'POST', headers: { 'x-alertbook-user': 'Ben' } });
    await deliver(
      server.app,
      amNotification([amAlert({ alertname: 'DiskFull', status: 'resolved', labels: { instance: 'db-1:9100' } })]),
    );
    await server.app.api(`/incidents/${id}/notes`, {
      method: 'POST',
      json: { text: 'Consumers were **scaled to zero** by the 02:10 deploy; rolling back.' },
      headers: { 'x-alertbook-user': 'Ben' },
    });
    // Everything a notebook can show: a snapshot on the timeline, a newer runbook version.
    const pinned = await fetch(`${server.url}/api/v1/incidents/${id}/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-alertbook-request': '1', 'x-alertbook-user': 'Ben' },
      body: JSON.stringify({ cellId: 'queue-depth', start: Date.now() / 1000 - 300, end: Date.now() / 1000, step: 5 }),
    });
    expect(pinned.status).toBe(201);
    writeRunbooks(
      QUEUE_RUNBOOK.replace('Scale the consumers out.', 'Scale the consumers out; check the dead-letter queue.'),
    );
    await server.runbooks.reload();
    const written: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 375]) {
        const list = await open('/', { colorScheme, width });
        await list.locator('.incident-row').nth(2).waitFor();
        written.push(await screenshot(list, `incidents-${width}-${colorScheme}`));
        const notebook = await open(`/incidents/${id}`, { colorScheme, width });
        await zoomToLast5m(notebook);
        await expect.poll(() => drawnSeriesPixels(notebook, 'Queue depth'), { timeout: 15_000 }).toBeGreaterThan(20);
        await notebook.locator('section.cell[aria-label="Depth now"] table').waitFor();
        written.push(await screenshot(notebook, `notebook-${width}-${colorScheme}`));
      }
    }
    expect(written).toHaveLength(8);
  });
});

describe('the bundle', () => {
  it('keeps all JavaScript within the 150 KB gzipped budget', async () => {
    const build = await buildWeb();
    expect(build.jsGzipBytes).toBeLessThanOrEqual(JS_BUDGET_GZIP_BYTES);
  });
});
