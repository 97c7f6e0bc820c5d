// Signing in to a token-protected Alertbook in a real browser (Debian's Chromium):
// a refused token is said to be refused, the header says who you are, and no
// websocket is opened before there is a token to open it with.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openPage } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import type { NotebookServer } from '../support/notebook-server.js';

const notebook = browserNotebook();
const runbooksDir = notebook.tempDir('alertbook-sign-in-');
let server: NotebookServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await notebook.start({
    // Nothing here queries Prometheus: an address nobody listens on.
    prometheusUrl: 'http://127.0.0.1:9',
    runbooksDir,
    apiTokens: [{ name: 'ana', token: 'ana-secret-token' }],
  }));
});

afterAll(() => notebook.close());

async function signInPage(): Promise<{ page: Page; sockets: string[]; errors: string[] }> {
  const { context, page, problems } = await openPage(browser);
  onTestFinished(() => context.close());
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await page.goto(server.url);
  await page.getByRole('dialog', { name: 'Sign in with an API token' }).waitFor();
  return { page, sockets, errors: problems.errors };
}

describe('signing in with a token', () => {
  it('says a refused token was refused and keeps asking, without opening the websocket', async () => {
    const { page, sockets, errors } = await signInPage();
    await page.locator('#identity-value').fill('not-a-token');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').getByText('The server refused this token.').waitFor({ timeout: 5_000 });
    await expect(page.getByRole('dialog').isVisible()).resolves.toBe(true);
    expect(sockets).toEqual([]);
    // Chromium logs the refused check itself; nothing else may fail.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('shows who is signed in once the token is taken, opens the socket then, and signs out', async () => {
    const { page, sockets, errors } = await signInPage();
    expect(sockets).toEqual([]);
    await page.locator('#identity-value').fill('ana-secret-token');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.whoami', { hasText: 'Signed in as ana' }).waitFor({ timeout: 5_000 });
    await page.getByText('live', { exact: true }).waitFor({ timeout: 10_000 });
    expect(sockets).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('dialog', { name: 'Sign in with an API token' }).waitFor();
    expect(errors).toEqual([]);
  });
});
