// The tune panel and the /tuning pages in a real browser (Debian's Chromium),
// over a real Prometheus backfilled with a week of history and the real API.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { deliver } from '../support/api.js';
import {
  type BackfilledPrometheus,
  type HistorySample,
  startBackfilledPrometheus,
} from '../support/backfilled-prometheus.js';
import { openTestPage, type PageOptions, screenshot } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import type { TestDatabase } from '../support/database.js';
import type { NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { proposeThreshold } from '../support/propose-threshold.js';

const MINUTE = 60;
const DAY = 86_400;
/** The week of history ends two minutes ago: the 7-day window covers it all. */
const END = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE - 2 * MINUTE;
const START = END - 7 * DAY + MINUTE;
/** Real problems: half-hour spikes to 0.9 s two days apart, and one going on now (the incident's). */
const SPIKES = [START + 1 * DAY, START + 3 * DAY, START + 5 * DAY, END - 25 * MINUTE];

/**
 * A p95 latency around 0.2 s that swings ±0.05 s every 90 minutes (over the
 * current threshold of 0.24 for a quarter of an hour each time: noise), and the spikes.
 */
function latency(time: number): number {
  if (SPIKES.some((spike) => time >= spike && time < spike + 30 * MINUTE)) return 0.9;
  return Number((0.2 + 0.05 * Math.sin(((time - START) / (90 * MINUTE)) * 2 * Math.PI)).toFixed(4));
}

const RULES = `groups:
  - name: api
    rules:
      # Set by hand at the launch; nobody remembers why.
      - alert: ApiLatencyHigh
        expr: tune_latency_seconds{service="api"} > 0.24
        for: 2m
        labels:
          severity: warning
`;

const notebook = browserNotebook();
/** The rule file lives in <dir>/runbooks/rules/, where the service looks by default. */
const dir = notebook.tempDir('alertbook-web-tuning-');
let prometheus: BackfilledPrometheus;
let database: TestDatabase;
let server: NotebookServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(join(dir, 'runbooks/rules'), { recursive: true });
  writeFileSync(join(dir, 'runbooks/rules/api.yaml'), RULES);
  const rules = new RuleFiles({ patterns: ['runbooks/rules/*.yaml'], cwd: dir });
  await rules.reload();
  const samples: HistorySample[] = [];
  for (let time = START; time <= END; time += MINUTE) samples.push([time, latency(time)]);
  prometheus = notebook.closeAfterServer(
    await startBackfilledPrometheus([{ metric: 'tune_latency_seconds', labels: { service: 'api' }, samples }]),
  );
  ({ database, server, browser } = await notebook.start({
    prometheusUrl: prometheus.url,
    runbooksDir: join(dir, 'runbooks'),
    rules,
  }));
});

afterAll(() => notebook.close());

beforeEach(async () => {
  await database.reset();
});

/** The incident of the spike going on now, acknowledged by Ben: a real problem no tuning may silence. */
async function openIncident(): Promise<number> {
  const alert = amAlert({
    alertname: 'ApiLatencyHigh',
    labels: { service: 'api', severity: 'warning' },
    startsAt: new Date((END - 20 * MINUTE) * 1000).toISOString(),
  });
  const answer = await deliver(server.app, amNotification([alert]));
  const id = (answer.incidents as number[])[0]!;
  await server.app.api(`/incidents/${id}/ack`, { method: 'POST', headers: { 'x-alertbook-user': 'Ben' } });
  return id;
}

/** A page of the notebook as Ana; page errors fail the test. */
function open(path: string, options: PageOptions = {}): Promise<Page> {
  return openTestPage(browser, `${server.url}${path}`, {
    displayName: 'Ana',
    ...options,
    peerLogs: () => `--- Prometheus log ---\n${prometheus.logs()}`,
  });
}

interface Drawn {
  lines?: { current?: number; suggested?: number; proposed?: number };
  shaded?: { current: number; proposed: number };
}

/** What the tune chart says it drew (line rows in canvas pixels, shaded bands). */
async function drawn(page: Page): Promise<Drawn> {
  return JSON.parse((await page.locator('.tune-chart').getAttribute('data-drawn')) ?? '{}') as Drawn;
}

/** Pixels of the CSS colour `variable` on canvas row `y` (±1): the line is really there, in its colour. */
function linePixels(page: Page, y: number, variable: string): Promise<number> {
  return page.evaluate(
    ({ row, name }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.tune-chart canvas')!;
      const probe = document.createElement('canvas').getContext('2d')!;
      probe.fillStyle = getComputedStyle(canvas).getPropertyValue(name).trim();
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
      const pixels = canvas.getContext('2d')!.getImageData(0, row - 1, canvas.width, 3).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i]! - r!) < 16 && Math.abs(pixels[i + 1]! - g!) < 16 && Math.abs(pixels[i + 2]! - b!) < 16)
          count++;
      }
      return count;
    },
    { row: y, name: variable },
  );
}

/** The numbers table's cell for a figure (row) and a definition (column). */
async function figure(page: Page, row: string, column: string): Promise<string> {
  const table = page.getByRole('table', { name: 'Backtest' });
  const columns = await table.locator('thead th').allTextContents();
  const index = columns.indexOf(column);
  return (await table.locator('tbody tr', { hasText: row }).locator('th, td').nth(index).textContent()) ?? '';
}

/** `figure` once its column has an answer: a column shows '…' while its backtest is on its way. */
async function answeredFigure(page: Page, row: string, column: string): Promise<string> {
  let value = '…';
  await expect.poll(async () => (value = await figure(page, row, column)), { timeout: 30_000 }).not.toBe('…');
  return value;
}

async function waitForChart(page: Page): Promise<Drawn> {
  await expect
    .poll(async () => drawn(page), { timeout: 30_000 })
    .toMatchObject({
      lines: { current: expect.any(Number), suggested: expect.any(Number), proposed: expect.any(Number) },
    });
  await expect.poll(async () => (await drawn(page)).shaded?.proposed ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  return drawn(page);
}

describe('the tune panel', () => {
  it('draws the three lines and the would-have-fired periods, backtests an edited threshold and records a decision', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}`);
    await page.getByRole('button', { name: 'Tune this alert' }).click();
    expect(new URL(page.url()).searchParams.get('tune')).toBe('1');
    const panel = page.getByRole('region', { name: 'Tune ApiLatencyHigh' });
    await panel.getByText('tune_latency_seconds{service="api"} > 0.24').waitFor();

    const chart = await waitForChart(page);
    // Canvas rows grow downwards: the current threshold (0.24) lies under the suggestion (p95 0.25 s + 25 % = 0.31).
    expect(chart.lines!.current!).toBeGreaterThan(chart.lines!.suggested!);
    expect(await linePixels(page, chart.lines!.current!, '--firing')).toBeGreaterThan(50);
    // The proposal starts at the suggestion, drawn over it.
    expect(chart.lines!.proposed).toBe(chart.lines!.suggested);
    expect(await linePixels(page, chart.lines!.proposed!, '--accent')).toBeGreaterThan(50);
    // The noise fires every 90 minutes today: many bands; the suggestion fires for the four spikes only.
    expect(chart.shaded!.current).toBeGreaterThan(50);
    expect(chart.shaded!.proposed).toBe(4);

    await expect.poll(() => figure(page, 'Episodes', 'Proposed'), { timeout: 30_000 }).toBe('4');
    expect(Number(await figure(page, 'Episodes', 'Current'))).toBeGreaterThan(100);
    expect(await figure(page, 'Threshold', 'Current')).toBe('0.24');
    expect(await figure(page, 'Missed incidents', 'Proposed')).toBe('none');

    // Above the spikes: the proposal would never have fired, and would have missed the acknowledged incident.
    await panel.getByLabel('Proposed threshold').fill('1');
    await expect.poll(() => figure(page, 'Episodes', 'Proposed'), { timeout: 30_000 }).toBe('0');
    await expect.poll(async () => (await drawn(page)).shaded?.proposed, { timeout: 10_000 }).toBe(0);
    expect(await figure(page, 'Missed incidents', 'Proposed')).toBe(`1: #${id}`);
    expect(await figure(page, 'Missed incidents', 'Current')).toBe('none');
    await expect(page.locator('.tune-numbers td.missed').count()).resolves.toBe(1);
    const moved = await drawn(page);
    expect(moved.lines!.proposed!).toBeLessThan(moved.lines!.suggested!);
    expect(await linePixels(page, moved.lines!.suggested!, '--resolved')).toBeGreaterThan(50);
    expect(await linePixels(page, moved.lines!.proposed!, '--accent')).toBeGreaterThan(50);
    expect(await figure(page, 'Time firing', 'Proposed')).toBe('0s');

    // Each edit, once settled, asks a new backtest; the table shows '…' until it answers.
    const sent: unknown[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/backtest')) {
        sent.push(request.postDataJSON());
      }
    });
    await panel.getByLabel('Proposed threshold').fill('0.31');
    await panel.getByLabel('for', { exact: true }).fill('5m');
    await expect
      .poll(() => sent.at(-1), { timeout: 30_000 })
      .toMatchObject({ candidates: [{}, { threshold: 0.31, for: '5m' }] });
    expect(await answeredFigure(page, 'Episodes', 'Proposed')).toBe('4');

    // keep_firing_for goes with the proposal: the spikes that ended are each held an hour longer.
    const firingWithout = await answeredFigure(page, 'Time firing', 'Proposed');
    const suggestedFiring = await answeredFigure(page, 'Time firing', 'Suggested');
    await panel.getByLabel('keep_firing_for').fill('1h');
    await expect
      .poll(() => sent.at(-1), { timeout: 30_000 })
      .toMatchObject({ candidates: [{}, { threshold: 0.31, for: '5m', keepFiringFor: '1h' }] });
    await expect
      .poll(() => answeredFigure(page, 'Time firing', 'Proposed'), { timeout: 30_000 })
      .not.toBe(firingWithout);
    expect(await answeredFigure(page, 'Episodes', 'Proposed')).toBe('4');
    expect(await answeredFigure(page, 'Time firing', 'Suggested')).toBe(suggestedFiring);
    await panel.getByLabel('keep_firing_for').fill('0s');
    await expect.poll(() => figure(page, 'Time firing', 'Proposed'), { timeout: 30_000 }).toBe(firingWithout);
    await expect(panel.locator('.tune-verdict').textContent()).resolves.toContain(
      '0 of 1 acknowledged incident missed',
    );
    await panel.getByLabel('Reason').fill('p95 over 7 d is 0.25 s; +25 %. The spikes still fire.');
    await panel.getByRole('button', { name: 'Record decision' }).click();
    const recorded = panel.getByRole('status').filter({ hasText: 'Recorded' });
    await recorded.waitFor({ timeout: 10_000 });
    const decisionId = Number((await recorded.textContent())!.match(/#(\d+)/)![1]);

    const event = page.locator('.event-tuning-proposed');
    await event.waitFor({ timeout: 10_000 });
    await expect(event.textContent()).resolves.toContain('threshold 0.24 → 0.31, for 2m → 5m');
    await expect(event.textContent()).resolves.toContain('Ana');

    await page.getByRole('link', { name: 'Tuning', exact: true }).click();
    const row = page.locator(`#decision-${decisionId}`);
    await row.waitFor();
    await expect(
      page.getByRole('region', { name: 'Proposed' }).locator(`#decision-${decisionId}`).count(),
    ).resolves.toBe(1);
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Decision #${decisionId}: ApiLatencyHigh` }).waitFor();
    await expect(page.locator('.decision-changes').textContent()).resolves.toMatch(/threshold0\.24→0\.31/);
    await page.locator('.diff-add').first().waitFor();
    await expect(page.locator('.diff-add').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('tune_latency_seconds{service="api"} > 0.31')]),
    );
    await expect(page.getByRole('button', { name: 'Copy patch' }).count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'Backtest evidence' }).count()).resolves.toBe(1);

    // Nobody will apply it after all: rejected by hand, with the reason in its events.
    await page.getByRole('button', { name: 'Reject…' }).click();
    await page.getByLabel('Why reject it').fill('The spikes are deploys; fixing those instead.');
    await page.getByRole('button', { name: 'Reject decision' }).click();
    await page.locator('h1 .decision-status-rejected').waitFor({ timeout: 10_000 });
    await expect(page.locator('.decision-events li').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^proposed by Ana/),
      expect.stringMatching(/^rejected by Ana.*The spikes are deploys; fixing those instead\.$/),
    ]);
    await expect(page.getByRole('button', { name: 'Reject…' }).count()).resolves.toBe(0);
  });

  it('opens directly from ?tune=1, the link weekly reports use, and the proposed line can be dragged', async () => {
    const id = await openIncident();
    const page = await open(`/incidents/${id}?tune=1`);
    const { lines } = await waitForChart(page);
    const input = page.getByLabel('Proposed threshold');
    expect(await input.inputValue()).toBe('0.31');

    // The proposed line, grabbed and dragged upwards: a higher proposal, in the input and the figures.
    const canvas = (await page.locator('.tune-chart canvas').boundingBox())!;
    const x = canvas.x + canvas.width / 2;
    await page.mouse.move(x, canvas.y + lines!.proposed!);
    await page.mouse.down();
    await page.mouse.move(x, canvas.y + lines!.proposed! - 60, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await input.inputValue())).toBeGreaterThan(0.31);
    await expect.poll(async () => (await drawn(page)).lines?.proposed).toBeLessThan(lines!.proposed!);
    await expect.poll(async () => figure(page, 'Threshold', 'Proposed')).toBe(await input.inputValue());

    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Tune this alert' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
  });
});

describe('screenshots for review (test/artifacts/)', () => {
  it('captures the tune panel, /tuning and a decision at 1440 and 375 px, light and dark', async () => {
    const id = await openIncident();
    const answer = await proposeThreshold(server.app, {
      alertname: 'ApiLatencyHigh',
      threshold: 0.31,
      reason: 'p95 + 25 %',
      incidentId: id,
    });
    expect(answer.status).toBe(201);
    const decision = (await answer.json()) as { id: number };
    const written: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1440, 375]) {
        const panel = await open(`/incidents/${id}?tune=1`, { colorScheme, width });
        await waitForChart(panel);
        await expect.poll(() => figure(panel, 'Episodes', 'Proposed'), { timeout: 30_000 }).toBe('4');
        written.push(await screenshot(panel, `tuning-panel-${width}-${colorScheme}`));
        const list = await open('/tuning', { colorScheme, width });
        await list.locator(`#decision-${decision.id}`).waitFor();
        written.push(await screenshot(list, `tuning-list-${width}-${colorScheme}`));
        const page = await open(`/tuning/${decision.id}`, { colorScheme, width });
        await page.locator('.diff-add').first().waitFor();
        written.push(await screenshot(page, `tuning-decision-${width}-${colorScheme}`));
      }
    }
    expect(written).toHaveLength(12);
  });
});
