// A verified decision's page in Chromium: its predicted, actual and "before" figures, and what Alertbook had not
// recorded yet when the decision applied (src/domain/history-coverage.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { deliver } from '../support/api.js';
import { openTestPage, screenshot } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import type { NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';

const RULES = `groups:
  - name: api
    rules:
      - alert: Errors
        expr: api_error_ratio > 0.05
`;

const notebook = browserNotebook();
const dir = notebook.tempDir('alertbook-web-verification-');
let now = new Date('2026-11-04T09:30:00Z');
let server: NotebookServer;
let browser: Browser;

/** Alertmanager notifies, at that moment, of an Errors alert that started then (its own group each time). */
async function firesNow() {
  const startsAt = now.toISOString();
  await deliver(
    server.app,
    amNotification([amAlert({ alertname: 'Errors', startsAt })], {
      groupKey: `{}:{alertname="Errors",at="${startsAt}"}`,
    }),
  );
}

beforeAll(async () => {
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules/api.yml'), RULES);
  const rules = new RuleFiles({ patterns: ['rules/*.yml'], cwd: dir, logger: createLogger({ silent: true }) });
  await rules.reload();
  ({ server, browser } = await notebook.start({
    runbooksDir: notebook.tempDir('alertbook-web-verification-runbooks-'),
    rules,
    deps: { clock: () => now },
  }));
  // Alertbook's history begins at 09:30 with the first alert; the decision applies at 10:00 and is verified an hour
  // later, so its hour "before" [09:00, 10:00) is only half recorded.
  await firesNow();
  now = new Date('2026-11-04T09:40:00Z');
  const proposed = await server.app.api('/tuning/decisions', {
    method: 'POST',
    json: { alertname: 'Errors', to: { threshold: 0.1 }, reason: 'bursts under 10 % are noise', verifyAfter: '1h' },
    headers: { 'x-alertbook-user': 'Ben' },
  });
  expect(proposed.status, await proposed.clone().text()).toBe(201);
  now = new Date('2026-11-04T10:00:00Z');
  writeFileSync(join(dir, 'rules/api.yml'), RULES.replace('> 0.05', '> 0.1'));
  await rules.reload();
  now = new Date('2026-11-04T10:20:00Z');
  await firesNow();
  now = new Date('2026-11-04T11:00:00Z');
  expect(await server.app.tuning.decisions.verifyDue()).toBe(1);
});

afterAll(() => notebook.close());

describe('a verified decision', () => {
  it('shows actual against before, and says the hour before was only partly recorded', async () => {
    const page = await openTestPage(browser, `${server.url}/tuning/1`, { displayName: 'Ben' });
    const panel = page.locator('section[aria-labelledby="decision-verification"]');
    await panel.waitFor();
    expect(await panel.locator('p').textContent()).toContain(
      "Alertbook's history began within the window before: its counts cover only part of it.",
    );
    const firings = panel.getByRole('row', { name: /^Firings/ });
    // Predicted (no backtest), actual since applied, the hour before.
    expect(await firings.locator('td').allTextContents()).toEqual(['—', '1', '1 (partly recorded)']);
    await screenshot(page, 'tuning-verification-partly-recorded');
  });
});
