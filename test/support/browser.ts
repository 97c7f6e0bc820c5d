import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFailed, onTestFinished } from 'vitest';

/** Debian's Chromium (`.ci/run` installs it); `npx playwright install` cannot run here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Quiet, hermetic and loopback-only: nothing phones home during a test.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const ARTIFACTS_DIR = new URL('../artifacts/', import.meta.url).pathname;

/** Playwright gives every (non-persistent) launch a new, empty user-data-dir of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** Loopback-open mode: the display name the UI would otherwise ask for once. */
  displayName?: string;
}

/** What went wrong in the page: uncaught errors, console errors, failed requests. */
export interface PageProblems {
  errors: string[];
}

/** A fresh context (its own storage) and page; every page error is collected for the test to assert on. */
export async function openPage(
  browser: Browser,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  if (options.displayName !== undefined) {
    await context.addInitScript(
      (name) => window.localStorage.setItem('alertbook.displayName', name),
      options.displayName,
    );
  }
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/**
 * `url` in a page of its own context, for one test: closed when the test ends,
 * which fails on any page error; `peerLogs` (a peer's log) is printed when it fails.
 */
export async function openTestPage(
  browser: Browser,
  url: string,
  options: PageOptions & { peerLogs?: () => string } = {},
): Promise<Page> {
  const { context, page, problems } = await openPage(browser, options);
  onTestFinished(() => context.close());
  onTestFinished(() => expect(problems.errors).toEqual([]));
  const { peerLogs } = options;
  if (peerLogs) onTestFailed(() => console.error(peerLogs()));
  await page.goto(url);
  return page;
}

/** A full-page screenshot under test/artifacts/ (git-ignored), for a person to review. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = `${ARTIFACTS_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
