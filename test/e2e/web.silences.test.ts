// Silences from the incident page in a real browser (Debian's Chromium) against a real
// Alertmanager: create one with edited matchers, see it listed, expire it, read the timeline.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished, vi } from 'vitest';
import { AlertmanagerClient } from '../../src/alertmanager/alertmanager-client.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { deliver } from '../support/api.js';
import { WEBHOOK_TOKEN } from '../support/app.js';
import { openPage, screenshot } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import { createTestDatabase } from '../support/database.js';
import { startNotebookServer, type NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { freeLoopbackPort } from '../support/peer-process.js';

const notebook = browserNotebook();
const runbooksDir = notebook.tempDir('alertbook-web-silences-');
let alertmanager: RunningAlertmanager;
let server: NotebookServer;
let browser: Browser;

beforeAll(async () => {
  // Its notifications are not what this test is about: they go to a port nobody listens on.
  alertmanager = notebook.closeAfterServer(
    await startAlertmanager({
      webhookUrl: `http://127.0.0.1:${await freeLoopbackPort()}/hooks/alertmanager`,
      webhookToken: WEBHOOK_TOKEN,
    }),
  );
  ({ server, browser } = await notebook.start({
    runbooksDir,
    deps: { alertmanagers: [new AlertmanagerClient(alertmanager.url)] },
  }));
});

afterAll(() => notebook.close());

interface AmSilence {
  id: string;
  createdBy: string;
  comment: string;
  endsAt: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  status: { state: string };
}

/** Alertmanager's own view: `GET /api/v2/silences`. */
async function amSilences(): Promise<AmSilence[]> {
  return (await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as AmSilence[];
}

/** The form's row whose label-name field holds `name`, as its 1-based position. */
async function rowOf(page: Page, name: string): Promise<number> {
  const names = await page
    .locator('.silence-name')
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const index = names.indexOf(name);
  expect(index, `no matcher row for ${name} in ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** The message shown next to the field `label` names (the API's 400, field by field). */
async function messageBeside(page: Page, field: Locator): Promise<string> {
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const id = await field.getAttribute('aria-describedby');
  return (await page.locator(`[id="${id}"]`).textContent()) ?? '';
}

/** How Chromium reports an answer of 400 to the page's console: expected for the refused drafts only. */
const REFUSED = 'console: Failed to load resource: the server responded with a status of 400 (Bad Request)';

const VARIANTS = [
  { width: 1440, colorScheme: 'light' },
  { width: 1440, colorScheme: 'dark' },
  { width: 375, colorScheme: 'light' },
  { width: 375, colorScheme: 'dark' },
] as const;

describe('silences on the incident page', () => {
  it.each(VARIANTS)(
    'are created with edited matchers, listed, expired, and told on the timeline ($width px, $colorScheme)',
    async ({ width, colorScheme }) => {
      const alertname = `DiskFull${width}${colorScheme}`;
      const labels = { alertname, severity: 'critical', job: 'node', instance: 'db-1' };
      const summary = await deliver(server.app, amNotification([amAlert({ alertname, labels })]));
      const incidentId = (summary.incidents as number[])[0]!;
      // The same alert, firing in Alertmanager: the silence will suppress it there.
      await alertmanager.postAlerts([{ labels, startsAt: new Date(Date.now() - 60_000) }]);
      const before = (await amSilences()).length;

      const { context, page, problems } = await openPage(browser, { displayName: 'Ana', width, colorScheme });
      onTestFinished(() => context.close());
      onTestFailed(() => console.error(`--- Alertmanager log ---\n${alertmanager.logs()}`));
      await page.goto(`${server.url}/incidents/${incidentId}`);
      const panel = page.locator('.silences-panel');
      await panel.getByText('No active silence matches').waitFor();
      await panel.getByRole('button', { name: 'Silence…' }).click();

      // Pre-filled from the alert's labels, alertname first.
      await expect
        .poll(() => page.locator('.silence-name').evaluateAll((all) => all.map((i) => (i as HTMLInputElement).value)))
        .toEqual(['alertname', 'instance', 'job', 'severity']);
      await expect(page.getByLabel('Value 1', { exact: true }).inputValue()).resolves.toBe(alertname);

      // Edited: severity dropped, the instance matched by a regex, a new row with a bad label name.
      await page.getByLabel(`Remove matcher ${await rowOf(page, 'severity')}`).click();
      const instance = await rowOf(page, 'instance');
      await page.getByLabel(`Operator ${instance}`, { exact: true }).selectOption('=~');
      await page.getByLabel(`Value ${instance}`, { exact: true }).fill('db-.*');
      await panel.getByRole('button', { name: 'Add matcher' }).click();
      await page.getByLabel('Label name 4', { exact: true }).fill('team-name');
      await page.getByLabel('Operator 4', { exact: true }).selectOption('!=');
      await page.getByLabel('Value 4', { exact: true }).fill('frontend');
      await page.getByLabel('Custom', { exact: true }).check();
      await page.getByLabel('Custom duration').fill('2h30m');
      await panel.getByText(/^Until /).waitFor();

      // Refused by the API as Alertmanager would: the message beside the field, nothing created.
      await panel.getByRole('button', { name: 'Create silence' }).click();
      expect(await messageBeside(page, page.getByLabel('Label name 4', { exact: true }))).toMatch(/label name/);
      await page.getByLabel('Label name 4', { exact: true }).fill('team');
      await panel.getByRole('button', { name: 'Create silence' }).click();
      expect(await messageBeside(page, page.getByLabel(/^Comment/))).toMatch(/why/);
      await screenshot(page, `silences-form-${width}-${colorScheme}`);
      expect((await amSilences()).length).toBe(before);

      await page.getByLabel(/^Comment/).fill('disk being replaced');
      await panel.getByRole('button', { name: 'Create silence' }).click();
      const item = panel.locator('.silence-item');
      await item.waitFor();
      const silenceId = (await item.getAttribute('data-silence-id'))!;
      const listed = (await item.textContent()) ?? '';
      for (const text of [`alertname="${alertname}"`, 'instance=~"db-.*"', 'job="node"', 'team!="frontend"', 'by Ana'])
        expect(listed).toContain(text);
      expect(listed).not.toContain('severity');
      await expect(item.locator('.silence-id').textContent()).resolves.toBe(silenceId.slice(0, 8));

      // Alertmanager has it, created by the signed-in person, for 2h30m, suppressing the alert.
      const created = (await amSilences()).find((s) => s.id === silenceId);
      expect(created).toMatchObject({ createdBy: 'Ana', comment: 'disk being replaced', status: { state: 'active' } });
      expect(created!.matchers).toHaveLength(4);
      expect(created!.matchers).toEqual(
        expect.arrayContaining([
          { name: 'alertname', value: alertname, isRegex: false, isEqual: true },
          { name: 'instance', value: 'db-.*', isRegex: true, isEqual: true },
          { name: 'job', value: 'node', isRegex: false, isEqual: true },
          { name: 'team', value: 'frontend', isRegex: false, isEqual: false },
        ]),
      );
      const lasts = new Date(created!.endsAt).getTime() - Date.now();
      expect(lasts).toBeGreaterThan(2.4 * 3_600_000);
      expect(lasts).toBeLessThanOrEqual(2.5 * 3_600_000);
      await vi.waitFor(async () => {
        const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as {
          labels: Record<string, string>;
          status: { silencedBy: string[] };
        }[];
        expect(alerts.find((a) => a.labels.alertname === alertname)?.status.silencedBy).toEqual([silenceId]);
      });

      const timeline = page.locator('.timeline');
      const silencedRow = timeline.locator('li', { hasText: 'Alerts silenced by' });
      await silencedRow.waitFor();
      const silencedText = (await silencedRow.textContent()) ?? '';
      for (const text of ['Ana', silenceId.slice(0, 8), 'instance=~"db-.*"', 'disk being replaced'])
        expect(silencedText).toContain(text);
      await screenshot(page, `silences-listed-${width}-${colorScheme}`);

      await item.getByRole('button', { name: 'Expire' }).click();
      await panel.getByText('No active silence matches').waitFor();
      await vi.waitFor(async () =>
        expect((await amSilences()).find((s) => s.id === silenceId)?.status.state).toBe('expired'),
      );
      const unsilencedRow = timeline.locator('li', { hasText: 'Silence expired by' });
      await unsilencedRow.waitFor();
      expect(await unsilencedRow.textContent()).toContain(silenceId.slice(0, 8));
      await screenshot(page, `silences-expired-${width}-${colorScheme}`);
      // The browser reports the two refusals above, and nothing else went wrong in the page.
      expect(problems.errors).toEqual(Array(2).fill(REFUSED));
    },
  );

  it("start from the header's Silence…, which opens the form in view with its comment focused (no link out to Alertmanager)", async () => {
    const alertname = 'HeaderSilence';
    const summary = await deliver(server.app, amNotification([amAlert({ alertname })]));
    // A short window: the panel is scrolled to its top, where the sticky top bar could cover its heading.
    const { context, page, problems } = await openPage(browser, { displayName: 'Ana', width: 1440, height: 600 });
    onTestFinished(() => context.close());
    await page.goto(`${server.url}/incidents/${(summary.incidents as number[])[0]}`);
    const header = page.locator('header.incident-header');
    await header.getByRole('button', { name: 'Silence…' }).click();

    const comment = page.getByLabel(/^Comment/);
    await expect.poll(() => comment.evaluate((field) => field === document.activeElement)).toBe(true);
    // The comment in the viewport, and the panel's heading not under the sticky top bar.
    const topbarBottom = await page.locator('.topbar').evaluate((bar) => bar.getBoundingClientRect().bottom);
    const headingTop = await page
      .getByRole('heading', { name: 'Active silences' })
      .evaluate((heading) => heading.getBoundingClientRect().top);
    expect(headingTop).toBeGreaterThanOrEqual(topbarBottom);
    const commentBottom = await comment.evaluate((field) => field.getBoundingClientRect().bottom);
    expect(commentBottom).toBeLessThanOrEqual(page.viewportSize()!.height);
    await expect(page.getByLabel('Value 1', { exact: true }).inputValue()).resolves.toBe(alertname);
    await expect(header.getByRole('link', { name: 'Silence in Alertmanager' }).count()).resolves.toBe(0);
    await screenshot(page, 'silences-from-header');
    expect(problems.errors).toEqual([]);
  });

  it('are not offered when no Alertmanager is configured', async () => {
    const database = await createTestDatabase();
    const bare = await startNotebookServer({ database, runbooksDir });
    onTestFinished(() => bare.close());
    const summary = await deliver(bare.app, amNotification([amAlert({ alertname: 'NoAlertmanager' })]));
    const { context, page, problems } = await openPage(browser, { displayName: 'Ana' });
    onTestFinished(() => context.close());
    await page.goto(`${bare.url}/incidents/${(summary.incidents as number[])[0]}`);
    await page.getByRole('heading', { name: /^Alerts/ }).waitFor();
    // Every request answered (GET /me among them), so the page has decided.
    await page.waitForLoadState('networkidle');
    await expect(page.locator('.silences-panel').count()).resolves.toBe(0);
    // The header links to Alertmanager's own page instead, with the alerts' shared labels as its filter.
    const link = page.locator('header.incident-header').getByRole('link', { name: 'Silence in Alertmanager' });
    expect(await link.getAttribute('href')).toMatch(/#\/silences\/new\?filter=.*NoAlertmanager/);
    expect(problems.errors).toEqual([]);
  });
});
