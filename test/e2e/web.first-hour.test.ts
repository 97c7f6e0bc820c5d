// The first hour in a real browser (Debian's Chromium): an incident without a
// runbook gets one linked by hand, the phone layout of the runbooks list and of
// an incident, and the keyboard (`?`, `/`, `j`/`k` inside an incident).
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { deliver } from '../support/api.js';
import { openPage, screenshot, type PageOptions } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import type { TestDatabase } from '../support/database.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import type { NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';

const SHIPPED = new URL('../../runbooks/', import.meta.url).pathname;

// Two cells, then two steps: where j/k stop, in order.
const KEYS_RUNBOOK = `---
id: keys-probe
title: Keyboard probe
alerts: [KeysProbe]
---
# Keyboard probe

## Diagnosis

\`\`\`promql title="First cell"
up{job="{{ $labels.job }}"}
\`\`\`

\`\`\`promql title="Second cell" instant
up{job="{{ $labels.job }}"}
\`\`\`

- [ ] First step
- [ ] Second step
`;

const VARIANTS: { name: string; options: PageOptions }[] = [
  { name: '1440-light', options: { width: 1440, height: 900, colorScheme: 'light' } },
  { name: '1440-dark', options: { width: 1440, height: 900, colorScheme: 'dark' } },
  { name: '375-light', options: { width: 375, height: 812, colorScheme: 'light' } },
  { name: '375-dark', options: { width: 375, height: 812, colorScheme: 'dark' } },
];
const PHONES = VARIANTS.filter((v) => v.name.startsWith('375'));

const notebook = browserNotebook();
const runbooksDir = notebook.tempDir('alertbook-first-hour-');
let prometheus: FakePrometheus;
let database: TestDatabase;
let server: NotebookServer;
let browser: Browser;

beforeAll(async () => {
  // The shipped runbooks: a realistic catalogue, and queue-backlog is a long one.
  cpSync(SHIPPED, runbooksDir, { recursive: true });
  writeFileSync(join(runbooksDir, 'keys-probe.md'), KEYS_RUNBOOK);
  prometheus = notebook.closeAfterServer(await startFakePrometheus());
  ({ database, server, browser } = await notebook.start({ prometheusUrl: prometheus.url, runbooksDir }));
});

afterAll(() => notebook.close());

beforeEach(async () => {
  await database.reset();
  await server.runbooks.reload(); // the reset emptied the runbook tables too
});

async function openIncident(alertname: string): Promise<number> {
  const answer = await deliver(
    server.app,
    amNotification([amAlert({ alertname, startsAt: new Date(Date.now() - 120_000).toISOString() })]),
  );
  return (answer.incidents as number[])[0]!;
}

/** A page in its own browser context; page errors fail the test. */
async function open(path: string, options: PageOptions = {}): Promise<Page> {
  const { context, page, problems } = await openPage(browser, { displayName: 'Ana', ...options });
  onTestFinished(() => context.close());
  onTestFinished(() => expect(problems.errors).toEqual([]));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(`${server.url}${path}`);
  return page;
}

describe('an incident without a runbook', () => {
  for (const { name, options } of VARIANTS) {
    it(`offers "Link a runbook" and the alertbook new command (${name})`, async () => {
      const id = await openIncident('DiskAlmostFull');
      const page = await open(`/incidents/${id}`, options);
      await page.getByText('No runbook in this repository serves this alert').waitFor();

      const command = page.locator('.new-runbook-command code');
      await expect(command.textContent()).resolves.toBe('alertbook new DiskAlmostFull');
      await page.locator('.new-runbook-command').getByRole('button', { name: 'Copy' }).click();
      await page.locator('.new-runbook-command').getByText('Copied').waitFor();
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('alertbook new DiskAlmostFull');

      await page.getByRole('button', { name: 'Link a runbook' }).click();
      const search = page.getByRole('searchbox', { name: 'Search the runbooks' });
      await expect(search.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await search.fill('queue');
      const results = page.locator('.link-runbook-results li');
      await expect.poll(() => results.count()).toBe(1);
      await screenshot(page, `first-hour-link-runbook-${name}`);
      await page.getByRole('button', { name: 'Link Queue backlog above 1k / 5k / 9k messages' }).click();

      await page
        .locator('#runbook-heading', { hasText: 'Runbook: Queue backlog above 1k / 5k / 9k messages' })
        .waitFor();
      const pinned = (await (await server.app.api(`/incidents/${id}/runbook`)).json()) as {
        runbook: { id: string } | null;
      };
      expect(pinned.runbook?.id).toBe('queue-backlog');
      await page.locator('.timeline', { hasText: /Runbook linked by\s*Ana/ }).waitFor();
    });
  }
});

describe('on a phone', () => {
  for (const { name, options } of PHONES) {
    it(`lists the runbooks within the screen, alert names whole (${name})`, async () => {
      const page = await open('/runbooks', options);
      await page.locator('.runbooks-table tbody tr').first().waitFor();
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
      // Nothing scrolls sideways inside the page either.
      const table = await page
        .locator('.runbooks-table')
        .evaluate((el) => ({ width: el.scrollWidth, room: el.parentElement!.clientWidth }));
      expect(table.width).toBeLessThanOrEqual(table.room);
      // Every alert name on one line: a name broken mid-word is two lines high.
      const names = await page.locator('.runbooks-table .chip-value').evaluateAll((els) =>
        els.map((el) => ({
          name: el.textContent,
          lines: el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight),
        })),
      );
      expect(names.length).toBeGreaterThan(10);
      expect(names.filter((n) => n.lines > 1.5)).toEqual([]);
      await screenshot(page, `first-hour-runbooks-${name}`);
    });

    it(`jumps from the top of an incident to its notes past the runbook (${name})`, async () => {
      const id = await openIncident('QueueBacklog');
      const page = await open(`/incidents/${id}`, options);
      await page.locator('#runbook-heading', { hasText: 'Runbook:' }).waitFor();
      const notes = page.locator('#incident-notes');
      const notesTop = () => notes.evaluate((el) => el.getBoundingClientRect().top);
      // The runbook comes first on a phone: the notes start screens below.
      expect(await notesTop()).toBeGreaterThan(3 * 812);

      await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Notes' }).click();
      await expect.poll(notesTop).toBeLessThan(812);
      expect(await notesTop()).toBeGreaterThanOrEqual(0);
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
      await screenshot(page, `first-hour-incident-jump-${name}`);
    });
  }

  it('shows the runbooks as a table on a desktop, screenshots in both themes', async () => {
    for (const { name, options } of VARIANTS.filter((v) => v.name.startsWith('1440'))) {
      const page = await open('/runbooks', options);
      await page.locator('.runbooks-table tbody tr').first().waitFor();
      await expect(page.locator('.runbooks-table thead').isVisible()).resolves.toBe(true);
      await expect(page.getByRole('navigation', { name: 'On this page' }).count()).resolves.toBe(0);
      await screenshot(page, `first-hour-runbooks-${name}`);
    }
  });
});

/** What has the focus, as `tag.class` or the cell's label / the step's id. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return 'none';
    if (el.matches('section.cell')) return `cell:${el.getAttribute('aria-label')}`;
    if (el.matches('input[data-step-id]')) return `step:${el.getAttribute('aria-label')}`;
    return el.tagName.toLowerCase();
  });
}

describe('the keyboard', () => {
  for (const { name, options } of VARIANTS) {
    it(`? shows the shortcuts, Esc closes them, / focuses the search (${name})`, async () => {
      const page = await open('/', options);
      await page.getByText('No incidents. All quiet.').waitFor();
      const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await page.keyboard.press('?');
      await overlay.waitFor();
      await expect(overlay.textContent()).resolves.toContain('cell or step in an incident');
      await screenshot(page, `first-hour-shortcuts-${name}`);
      await page.keyboard.press('Escape');
      await overlay.waitFor({ state: 'detached' });

      await page.keyboard.press('/');
      await expect(focused(page)).resolves.toBe('input');
      await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).type)).resolves.toBe('search');
      // Typed into the field, not taken as shortcuts.
      await page.keyboard.type('?j/');
      await expect(overlay.count()).resolves.toBe(0);
      await expect(page.getByRole('searchbox').inputValue()).resolves.toBe('?j/');
    });
  }

  it('/ focuses the runbooks search, which filters the list', async () => {
    const page = await open('/runbooks');
    await page.locator('.runbooks-table tbody tr').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('memory');
    await expect.poll(() => page.locator('.runbooks-table tbody tr').count()).toBe(1);
    await expect(page.locator('.runbooks-table tbody').textContent()).resolves.toContain('ProcessMemoryHigh');
  });

  it('j/k move through the cells and steps of an incident, outlined, and not while typing a note', async () => {
    const id = await openIncident('KeysProbe');
    const page = await open(`/incidents/${id}`, { width: 1440, height: 900 });
    await page.locator('.runbook-body input[data-step-id]:not([disabled])').nth(1).waitFor();

    await page.keyboard.press('j');
    await expect(focused(page)).resolves.toBe('cell:First cell');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('j');
    await expect(focused(page)).resolves.toBe('cell:Second cell');
    await page.keyboard.press('j');
    await expect(focused(page)).resolves.toBe('step:Step: First step');
    // On a focused checkbox the letters are still shortcuts.
    await page.keyboard.press('j');
    await expect(focused(page)).resolves.toBe('step:Step: Second step');
    await page.keyboard.press('j'); // the last stop stays the last
    await expect(focused(page)).resolves.toBe('step:Step: Second step');
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await expect(focused(page)).resolves.toBe('cell:Second cell');
    await screenshot(page, 'first-hour-incident-keys-1440-light');

    await page.keyboard.press('n');
    await expect(focused(page)).resolves.toBe('textarea');
    await page.keyboard.type('jk');
    await expect(focused(page)).resolves.toBe('textarea');
    await expect(page.locator('#note-text').inputValue()).resolves.toBe('jk');
  });
});
