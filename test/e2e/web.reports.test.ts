// The notebook's weekly report pages in Chromium, over a history built through
// the real webhook (test/support/history-generator.ts' DST week, worked out by hand).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Figure } from '../../src/domain/reports/figure.js';
import type { WeeklyReport } from '../../src/domain/reports/model.js';
import type { TuningDecision } from '../../src/domain/reports/sections/tuning.js';
import { count, formatDuration, formatShare } from '../../src/domain/reports/render/format-values.js';
import { openPage, screenshot, type PageOptions } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';
import type { NotebookServer } from '../support/notebook-server.js';

const WEEK_PAGE = '/reports/2026-W43?tz=Europe/Berlin';

const notebook = browserNotebook();
const runbooksDir = notebook.tempDir('alertbook-web-reports-');
const history = historyGenerator();
let server: NotebookServer;
let browser: Browser;

/**
 * One threshold decision, through the report's seam for them (the decisions
 * table lives on the tuning branch): HighLatency's rule changed on Monday
 * 14:00Z, between its 2nd and 3rd firing of the week.
 */
const DECISION: TuningDecision = {
  id: 7,
  alertname: 'HighLatency',
  ruleLabels: {},
  status: 'applied',
  reason: 'for: 5m against the flapping',
  recordedAt: new Date('2026-10-19T13:00:00Z'),
  appliedAt: new Date('2026-10-19T14:00:00Z'),
  verifiedAt: null,
  link: '/incidents/4?tune=1',
};

beforeAll(async () => {
  ({ server, browser } = await notebook.start({
    runbooksDir,
    deps: { ...history.deps, reports: { tuning: { decisionsTouching: async () => [DECISION] } } },
  }));
  await history.attach(server.app);
  // The history leaves the server's clock at Monday 26 October 2026, 00:30 UTC: week 2026-W44 has begun.
  await buildDstWeekHistory(history);
});

afterAll(async () => {
  await notebook.close();
  history.cleanup();
});

/** A page in its own browser context; page errors (other than those `expected`) fail the test. */
async function open(path: string, options: PageOptions = {}, expected?: RegExp): Promise<Page> {
  const { context, page, problems } = await openPage(browser, { displayName: 'Lead', ...options });
  onTestFinished(() => context.close());
  onTestFinished(() => expect(problems.errors.filter((e) => !expected?.test(e))).toEqual([]));
  await page.goto(`${server.url}${path}`);
  return page;
}

async function apiJson<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

/** Every figure of a report with where it sits (`volume.bySeverity.0.incidents`). */
function figuresOf(value: unknown, path = ''): { path: string; figure: Figure }[] {
  if (value === null || typeof value !== 'object') return [];
  if ('recount' in value && 'query' in value) return [{ path, figure: value as Figure }];
  return Object.entries(value).flatMap(([key, inner]) => figuresOf(inner, path ? `${path}.${key}` : key));
}

/** How the page prints a figure: durations, shares and counts as the HTML and markdown reports do. */
function printed(f: Figure): string {
  if (/^(median|p90|mean):/.test(f.recount)) return formatDuration(f.value);
  if (f.recount === 'share') return formatShare(f.value);
  return count(f);
}

/** Figures the page shows in charts only (per day, per week), the sizes behind durations, and empty hours. */
const chartOnly = (path: string, f: Figure) =>
  /^volume\.(trend|byDay)\./.test(path) ||
  /\.(mtta|mttr)\.count$/.test(path) ||
  (/^volume\.byHour\./.test(path) && f.value === 0);

/** Opaque pixels of a chart's canvas, and those of one exact colour (a bar's fill). */
async function canvasPixels(page: Page, chartId: string, colour: [number, number, number]) {
  return page.locator(`#${chartId} canvas`).evaluate((canvas: HTMLCanvasElement, [r, g, b]) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let opaque = 0;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0) opaque++;
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) coloured++;
    }
    return { opaque, coloured };
  }, colour);
}

describe('/reports/:week', () => {
  it('shows every figure of the JSON, each linked to its recount, and the sections in order', async () => {
    const report = await apiJson<WeeklyReport>('/reports/weekly?week=2026-W43&tz=Europe/Berlin&format=json');
    const page = await open(WEEK_PAGE);
    await page.locator('#definitions').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Alert history: 2026-W43 (Europe/Berlin)');
    expect(await page.locator('.report-heading p').first().textContent()).toMatch(
      /^2026-10-19 00:00 → 2026-10-26 00:00 Europe\/Berlin · generated \d{4}-\d\d-\d\d \d\d:\d\d · recomputed now · definitions v\d+$/,
    );
    expect(await page.locator('.report-section h2').allInnerTexts()).toEqual([
      'Next steps',
      'Volume',
      'Response',
      'Noise',
      'Runbooks',
      'Tuning',
      'Definitions (v1)',
    ]);

    const shown = await page.locator('a.report-figure').evaluateAll((links) =>
      links.map((a) => ({
        query: a.getAttribute('data-query')!,
        text: a.textContent!,
        href: a.getAttribute('href')!,
      })),
    );
    const expected = figuresOf(report).filter(({ path, figure }) => !chartOnly(path, figure));
    // Every figure is on the page, printed from its value, linked to its query…
    for (const { path, figure } of expected) {
      const matches = shown.filter((s) => s.query === figure.query && s.text === printed(figure));
      expect(matches.length, `${path} = ${printed(figure)} (${figure.query})`).toBeGreaterThan(0);
    }
    // …and nothing else is: each number shown is one of the JSON's.
    expect(shown.length).toBe(expected.length);
    for (const s of shown) {
      expect(s.href).toBe(
        s.query.startsWith('/api/v1/incidents?')
          ? s.query.replace('/api/v1/incidents?', '/reports/incidents?')
          : s.query,
      );
    }
    // Worked out by hand (test/integration/reports.figures.test.ts): 6 incidents opened, 1 the week before, no change
    // given: the history begins within W42.
    const opened = page.locator('#volume tbody tr').first();
    expect(await opened.locator('td').allInnerTexts()).toEqual(['Incidents opened', '6', '1', 'n/a']);

    // Next steps and tune links are the JSON's: incidents queries as the notebook's list, tune links as they came.
    expect(
      await page.locator('#actions li a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')])),
    ).toEqual(report.actions.map((a) => [a.text, a.link.replace('/api/v1/incidents?', '/reports/incidents?')]));
    expect(await page.locator('a.report-tune').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      report.tuning.recommendations.map((r) => r.link),
    );
    expect(report.tuning.recommendations.map((r) => r.link)).toContain('/incidents/4?tune=1');
    // The tuning decision, and its effect: 2 firings before it (the history began the evening before), 1 after (both in
    // the figure walk above).
    expect(await page.locator('#tuning p').first().textContent()).toBe('Decisions recorded 1, applied 1, verified 0.');
    expect(await page.locator('#tuning table').first().locator('tbody td').allTextContents()).toEqual([
      '#7',
      'HighLatency',
      'applied',
      'for: 5m against the flapping',
    ]);
    expect(report.tuning.effects.map((e) => [e.firingsBefore.value, e.firingsAfter.value])).toEqual([[2, 1]]);
    // The definitions are the report's own.
    expect(await page.locator('#definitions dd').allInnerTexts()).toEqual(Object.values(report.definitions));
  });

  it('draws the daily volume by severity, the MTTA/MTTR spread and the 8-week trend with uPlot', async () => {
    const page = await open(WEEK_PAGE);
    await page.locator('#definitions').waitFor();
    for (const [id, legend] of [
      ['chart-daily-volume', ['critical', 'warning']],
      ['chart-trend', ['incidents', 'occurrences']],
      ['chart-mtta', ['median', 'median to p90']],
      ['chart-mttr', ['median', 'median to p90']],
    ] as const) {
      await page.locator(`#${id} canvas`).waitFor();
      // The legend lists the x column first, then each series (stacked bars top first).
      const series = await page.locator(`#${id} .u-series .u-label`).allTextContents();
      expect(series.slice(1).sort(), id).toEqual([...legend].sort());
      expect((await canvasPixels(page, id, [0, 0, 0])).opaque, id).toBeGreaterThan(500);
    }
    // Bars in the severities' colours: critical #c62828 and warning #f9a825 (3 critical and 1 warning incident on the days).
    expect((await canvasPixels(page, 'chart-daily-volume', [0xc6, 0x28, 0x28])).coloured).toBeGreaterThan(100);
    expect((await canvasPixels(page, 'chart-daily-volume', [0xf9, 0xa8, 0x25])).coloured).toBeGreaterThan(100);
    expect((await canvasPixels(page, 'chart-trend', [0x15, 0x65, 0xc0])).coloured).toBeGreaterThan(100);
  });

  it('a figure of incidents opens the notebook list of exactly those incidents; a tune link opens the incident', async () => {
    const page = await open(WEEK_PAGE);
    const opened = page.locator('#volume tbody tr').first().locator('a.report-figure').first();
    const query = (await opened.getAttribute('data-query'))!;
    const api = await apiJson<{ incidents: { id: number }[] }>(query.replace('/api/v1', ''));
    await opened.click();
    await page.waitForURL(/\/reports\/incidents\?/);
    await expect.poll(() => page.locator('.report-recount').textContent()).toBe('6 incidents');
    expect(await page.locator('.report-recount-list li > a').allInnerTexts()).toEqual(
      api.incidents.map((i) => `#${i.id}`),
    );

    await page.goBack();
    await page.locator('a.report-tune').first().click();
    await page.waitForURL(/\/incidents\/4\?tune=1$/);
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('HighLatency');
  });

  it("a week the API refuses shows the API's 400 message, not a blank page", async () => {
    for (const path of ['/reports/2026-W00', '/reports/banana', '/reports/2026-W43?tz=Mars/Olympus']) {
      const week = path.split('/')[2]!.split('?')[0]!;
      const tz = new URL(path, server.url).searchParams.get('tz');
      const res = await fetch(
        `${server.url}/api/v1/reports/weekly?week=${week}${tz ? `&tz=${encodeURIComponent(tz)}` : ''}`,
      );
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { message: string; field: string } };
      // The browser logs the refused request itself; that is the only error allowed.
      const page = await open(path, {}, /status of 400 \(Bad Request\)/);
      const alert = page.locator('[role=alert]');
      await alert.waitFor();
      const text = await alert.textContent();
      expect(text, path).toContain(error.message);
      expect(text, path).toContain(error.field);
    }
  });

  it('the downloaded HTML report opens without network and shows its SVG charts', async () => {
    const page = await open(WEEK_PAGE);
    await page.locator('#definitions').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'HTML' }).click(),
    ]);
    const file = join(runbooksDir, 'report.html');
    await download.saveAs(file);

    const { context, page: offline, problems } = await openPage(browser);
    onTestFinished(() => context.close());
    await context.setOffline(true);
    const requested: string[] = [];
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      requested.push(route.request().url());
      return route.abort();
    });
    await offline.goto(`file://${file}`);
    expect(await offline.locator('h1').textContent()).toContain('2026-W43');
    for (const id of ['daily-volume', 'trend', 'mtta', 'mttr']) {
      expect(await offline.locator(`#${id} svg`).count(), id).toBe(1);
    }
    expect(await offline.locator('#daily-volume svg rect[fill="#c62828"]').count()).toBeGreaterThan(0);
    expect(requested).toEqual([]);
    expect(problems.errors).toEqual([]);
  });
});

describe('/reports', () => {
  it('lists the weeks newest first; storing one marks it stored, and its stored report opens', async () => {
    const page = await open('/reports?tz=Europe/Berlin');
    const rows = page.locator('.report-weeks tbody tr');
    await rows.first().waitFor();
    const weeks = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-week')));
    expect(weeks.slice(0, 3)).toEqual(['2026-W44', '2026-W43', '2026-W42']);
    expect(weeks).toHaveLength(13);
    expect(await rows.first().textContent()).toContain('in progress');
    // Each week from its Monday in the list's zone.
    expect(await rows.nth(1).locator('td').nth(1).textContent()).toBe('2026-10-19');
    // The history begins in W42 (its first alert, Sunday evening): the weeks before it have nothing to store.
    expect(await page.locator('tr[data-week="2026-W42"] td').first().textContent()).toBe('2026-W42 · history begins');
    const w41 = page.locator('tr[data-week="2026-W41"]');
    expect(await w41.locator('td').nth(2).textContent()).toBe('no history');
    expect(await w41.getByRole('button').count()).toBe(0);

    const w43 = page.locator('tr[data-week="2026-W43"]');
    expect(await w43.getByRole('link', { name: '2026-W43' }).getAttribute('href')).toBe(
      '/reports/2026-W43?tz=Europe%2FBerlin',
    );
    await w43.getByRole('button', { name: 'Store the report of 2026-W43' }).click();
    const stored = w43.getByRole('link', { name: /^stored / });
    await stored.waitFor();
    expect(await stored.textContent()).toBe('stored 2026-10-26 by Lead');
    const list = await apiJson<{ weeks: { week: string; stored: { id: number } | null }[] }>(
      '/reports/weeks?tz=Europe/Berlin',
    );
    expect(list.weeks.filter((w) => w.stored).map((w) => w.week)).toEqual(['2026-W43']);

    // The report page stores its week too, and goes back to the list. W42 says it is only partly recorded.
    await page.getByRole('link', { name: '2026-W42' }).click();
    expect(await page.getByRole('note').textContent()).toBe(
      "Alertbook's history begins 2026-10-18 23:30 Europe/Berlin, within this period: its counts cover only what was recorded from then on.",
    );
    await page.getByRole('button', { name: 'Store the report of 2026-W42' }).click();
    await page.waitForURL(/\/reports\?tz=Europe%2FBerlin$/);
    await page
      .locator('tr[data-week="2026-W42"]')
      .getByRole('link', { name: /^stored / })
      .waitFor();

    await stored.click();
    await page.waitForURL(/stored=1$/);
    await page.locator('#definitions').waitFor();
    expect(await page.locator('.report-heading').textContent()).toContain('stored report');
    expect(await page.locator('#volume tbody tr').first().locator('td').nth(1).textContent()).toBe('6');
  });
});

describe('screenshots for review (test/artifacts/reports-*.png)', () => {
  it('desktop, 375 px and dark: readable, nothing wider than the screen', async () => {
    for (const [name, options] of [
      ['desktop', { width: 1440 }],
      ['375', { width: 375, height: 812 }],
      ['dark', { width: 1440, colorScheme: 'dark' }],
      ['375-dark', { width: 375, height: 812, colorScheme: 'dark' }],
    ] as const) {
      const page = await open(WEEK_PAGE, options);
      await page.locator('#chart-mttr canvas').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, name).toBeLessThanOrEqual(options.width);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background, name).toBe('colorScheme' in options ? 'rgb(13, 17, 23)' : 'rgb(246, 247, 249)');
      await screenshot(page, `reports-${name}`);
    }
    const list = await open('/reports', { width: 375, height: 812 });
    await list.locator('.report-weeks').waitFor();
    await screenshot(list, 'reports-list-375');
  });
});
