// Incident cell charts in Chromium, over a Prometheus stand-in: axes whose labels fit, a tick
// at 0, the incident in the default window, the firing rule's threshold (issue #18, charts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { deliver } from '../support/api.js';
import { openTestPage, type PageOptions, screenshot } from '../support/browser.js';
import { browserNotebook } from '../support/browser-notebook.js';
import type { TestDatabase } from '../support/database.js';
import { type FakePrometheus, startFakePrometheus } from '../support/fake-prometheus.js';
import type { NotebookServer } from '../support/notebook-server.js';
import { amAlert, amNotification } from '../support/payloads.js';

const MINUTE = 60;
/** The incident has fired for ten minutes: a 6 h or 1 d window would squeeze it into its last pixels. */
const FIRED_SECONDS = 10 * MINUTE;

const RULES = `groups:
  - name: cache
    rules:
      - alert: CacheMemoryHigh
        expr: sum by (instance) (process_resident_memory_bytes{job="cache"}) > 50e6
        for: 5m
        labels:
          severity: warning
      - alert: CacheMemoryHigh
        expr: sum by (instance) (process_resident_memory_bytes{job="cache"}) > 1e9
        for: 5m
        labels:
          severity: critical
`;

// Each cell as issue #18 saw it: tiny ops/s, big ops/s, bytes from 0, all zeros, and the rule's
// expression with a stale cell threshold of 1.7 GB (the rule fires at 50 MB); then another grouping of the
// rule's metric with the warning's threshold, as runbooks break an alert down.
const RUNBOOK = `---
id: cache-memory
title: Cache memory
alerts: [CacheMemoryHigh]
---

# Cache memory

\`\`\`promql title="Evictions" range=1d unit=ops
sum(rate(chart_evictions_total{job="{{ $labels.job }}"}[5m]))
\`\`\`

\`\`\`promql title="Requests" range=6h unit=ops
sum(rate(chart_requests_total{job="{{ $labels.job }}"}[5m]))
\`\`\`

\`\`\`promql title="Heap" range=6h unit=bytes
sum(chart_heap_bytes{job="{{ $labels.job }}"})
\`\`\`

\`\`\`promql title="Errors" unit=ops
sum(rate(chart_errors_total{job="{{ $labels.job }}"}[5m]))
\`\`\`

\`\`\`promql title="Resident memory" range=6h unit=bytes threshold=1.7e9
sum by (instance) (process_resident_memory_bytes{job="cache", instance="{{ $labels.instance }}"})
\`\`\`

\`\`\`promql title="Resident memory by job" range=6h unit=bytes threshold=50e6
sum by (instance, job) (process_resident_memory_bytes{job="cache"})
\`\`\`
`;

/** A value per query at unix time `t`, shaped like what the issue saw. */
function valueOf(query: string, t: number): number {
  const wave = (Math.sin(t / 600) + 1) / 2;
  if (query.includes('chart_evictions_total')) return 0.002 + 0.006 * wave;
  if (query.includes('chart_requests_total')) return 20 + 80 * wave;
  // 0 until half an hour ago, then growing to ~1.5 GiB now.
  if (query.includes('chart_heap_bytes')) return Math.max(0, 1.5 * 2 ** 30 * (1 - (Date.now() / 1000 - t) / 1800));
  if (query.includes('chart_errors_total')) return 0;
  return 30e6 + 30e6 * wave;
}

const notebook = browserNotebook();
const dir = notebook.tempDir('alertbook-web-charts-');
let prometheus: FakePrometheus;
let database: TestDatabase;
let server: NotebookServer;
let browser: Browser;
let rules: RuleFiles;

beforeAll(async () => {
  mkdirSync(join(dir, 'runbooks/rules'), { recursive: true });
  writeFileSync(join(dir, 'runbooks/rules/cache.yaml'), RULES);
  writeFileSync(join(dir, 'runbooks/cache-memory.md'), RUNBOOK);
  rules = new RuleFiles({ patterns: ['runbooks/rules/*.yaml'], cwd: dir });
  await rules.reload();
  prometheus = notebook.closeAfterServer(
    await startFakePrometheus({
      answer: ({ params }) => {
        const [start, end, step] = [Number(params.start), Number(params.end), Number(params.step)];
        const values: [number, string][] = [];
        for (let t = start; t <= end; t += step) values.push([t, String(valueOf(params.query ?? '', t))]);
        return { data: { resultType: 'matrix', result: [{ metric: { instance: 'a' }, values }] } };
      },
    }),
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
  // The reset emptied the runbook tables too.
  await server.runbooks.reload();
});

async function openIncident(severity = 'warning'): Promise<number> {
  const alert = amAlert({
    alertname: 'CacheMemoryHigh',
    labels: { job: 'cache', instance: 'a', severity },
    startsAt: new Date(Date.now() - FIRED_SECONDS * 1000).toISOString(),
  });
  const answer = await deliver(server.app, amNotification([alert]));
  return (answer.incidents as number[])[0]!;
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Drawn {
  plot: Box;
  yLabels: (Box & { text: string })[];
  marker?: { x: number; box: Box };
  threshold?: { label: string; y: number; box: Box };
}

interface Chart {
  title: string;
  drawn: Drawn;
  canvas: { width: number; height: number };
  /** Columns 0–1 of the canvas hold ink: a label runs past its left edge. */
  inkAtLeftEdge: boolean;
}

/** Every cell chart once all have drawn with data: what each says it drew, and its canvas. */
async function charts(page: Page, count: number): Promise<Chart[]> {
  await page
    .waitForFunction(
      (n) => {
        const drawn = [...document.querySelectorAll<HTMLElement>('.cell .chart')].filter((chart) => {
          const data = JSON.parse(chart.dataset.drawn ?? '{}') as Partial<Drawn>;
          return (data.yLabels?.length ?? 0) > 0 && data.marker !== undefined;
        });
        return drawn.length === n;
      },
      count,
      { timeout: 60_000 },
    )
    .catch(async (error: Error) => {
      throw new Error(`${error.message}\n--- the page shows ---\n${await page.locator('main').textContent()}`);
    });
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.cell .chart')].map((chart) => {
      const canvas = chart.querySelector('canvas')!;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, 2, canvas.height).data;
      let ink = false;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) ink = true;
      const rect = canvas.getBoundingClientRect();
      return {
        title: chart.closest('.cell')!.querySelector('.cell-title')!.textContent!,
        drawn: JSON.parse(chart.dataset.drawn!) as Drawn,
        canvas: { width: rect.width, height: rect.height },
        inkAtLeftEdge: ink,
      };
    }),
  );
}

function byTitle(all: Chart[], title: string): Chart {
  const chart = all.find((c) => c.title === title);
  if (!chart) throw new Error(`no chart "${title}" among ${all.map((c) => c.title).join(', ')}`);
  return chart;
}

function expectInside(inner: Box, outer: Box, what: string): void {
  expect(inner.left, `${what}: left`).toBeGreaterThanOrEqual(outer.left - 0.5);
  expect(inner.right, `${what}: right`).toBeLessThanOrEqual(outer.right + 0.5);
  expect(inner.top, `${what}: top`).toBeGreaterThanOrEqual(outer.top - 0.5);
  expect(inner.bottom, `${what}: bottom`).toBeLessThanOrEqual(outer.bottom + 0.5);
}

/** Where the incident's start sits across the plot: 0 left edge, 1 right edge. */
function markerShare(chart: Chart): number {
  const { plot, marker } = chart.drawn;
  return (marker!.x - plot.left) / (plot.right - plot.left);
}

const CELLS = 6;

describe('incident cell charts', () => {
  for (const { width, colorScheme } of [
    { width: 1440, colorScheme: 'light' },
    { width: 1440, colorScheme: 'dark' },
    { width: 375, colorScheme: 'light' },
    { width: 375, colorScheme: 'dark' },
  ] satisfies PageOptions[]) {
    it(`fit their labels in the canvas and show the incident (${width} px, ${colorScheme})`, async () => {
      const id = await openIncident();
      const page = await openTestPage(browser, `${server.url}/incidents/${id}`, {
        displayName: 'Ana',
        width,
        colorScheme,
      });
      const all = await charts(page, CELLS);
      for (const chart of all) {
        const canvasBox = { left: 0, top: 0, right: chart.canvas.width, bottom: chart.canvas.height };
        for (const label of chart.drawn.yLabels) expectInside(label, canvasBox, `${chart.title} y label ${label.text}`);
        expect(chart.inkAtLeftEdge, `${chart.title}: ink in the canvas' first columns (a clipped label)`).toBe(false);
        expectInside(chart.drawn.marker!.box, chart.drawn.plot, `${chart.title} "incident start" label`);
        // The default window puts the incident well inside the plot, whatever the cell's own range.
        expect(markerShare(chart), `${chart.title}: where the incident starts`).toBeLessThan(0.9);
      }
      await screenshot(page, `charts-incident-${width}-${colorScheme}`);
    });
  }

  it('put a tick at 0 under data that starts at 0, and give an all-zero series a small axis', async () => {
    const id = await openIncident();
    const page = await openTestPage(browser, `${server.url}/incidents/${id}`, { displayName: 'Ana', width: 1440 });
    const all = await charts(page, CELLS);
    const heap = byTitle(all, 'Heap').drawn.yLabels.map((l) => l.text);
    expect(heap[0]).toBe('0 B');
    // Binary steps: 256 MiB, 512 MiB…, not 477 MiB / 954 MiB.
    for (const text of heap.slice(1)) expect(text).toMatch(/^(128|256|384|512|640|768|896|1024) MiB$|^[\d.]+ GiB$/);
    const errors = byTitle(all, 'Errors').drawn.yLabels.map((l) => l.text);
    expect(errors[0]).toBe('0 ops/s');
    expect(errors.at(-1)).toBe('1 ops/s');
    expect(byTitle(all, 'Evictions').drawn.yLabels.map((l) => l.text)).toContain('0.006 ops/s');
  });

  it("draw the firing rule's threshold, labelled with its comparison, not the cell's", async () => {
    const id = await openIncident();
    const page = await openTestPage(browser, `${server.url}/incidents/${id}`, { displayName: 'Ana', width: 1440 });
    const memory = byTitle(await charts(page, CELLS), 'Resident memory');
    const threshold = memory.drawn.threshold!;
    // 50e6 bytes, as the notebook prints bytes.
    expect(threshold.label).toBe('> 47.7 MiB');
    expectInside(threshold.box, memory.drawn.plot, 'threshold label');
    // The axis is the data's (up to ~60 MB), not stretched to the cell's 1.7 GB.
    expect(memory.drawn.yLabels.every((l) => !l.text.includes('GiB'))).toBe(true);
    // The series fills the plot: the 50 MB line sits in its upper half, not flattened at the bottom.
    const { plot } = memory.drawn;
    expect(threshold.y).toBeLessThan(plot.top + (plot.bottom - plot.top) / 2);
    // Cells that do not chart the rule's expression draw no threshold.
    expect(byTitle(await charts(page, CELLS), 'Heap').drawn.threshold).toBeUndefined();
    // Another grouping of the metric draws its own threshold=, which is this (warning) rule's.
    expect(byTitle(await charts(page, CELLS), 'Resident memory by job').drawn.threshold!.label).toBe(
      'threshold 47.7 MiB',
    );
  });

  it("at a critical incident, draw the critical rule's threshold where the cell was written with the warning's", async () => {
    const id = await openIncident('critical');
    const page = await openTestPage(browser, `${server.url}/incidents/${id}`, { displayName: 'Ana', width: 1440 });
    const all = await charts(page, CELLS);
    // 1e9 bytes: the critical rule's comparison, for its own expression and for the cell written with 50e6.
    expect(byTitle(all, 'Resident memory').drawn.threshold!.label).toBe('> 954 MiB');
    const byJob = byTitle(all, 'Resident memory by job');
    expect(byJob.drawn.threshold!.label).toBe('> 954 MiB');
    expectInside(byJob.drawn.threshold!.box, byJob.drawn.plot, 'threshold label');
    // Pinned, the chart keeps the line it showed live.
    await page
      .getByRole('region', { name: 'Resident memory by job' })
      .getByRole('button', { name: 'Pin snapshot' })
      .click();
    const pinned = page.locator('.snapshot .chart[data-drawn]');
    await pinned.waitFor();
    const drawn = JSON.parse((await pinned.getAttribute('data-drawn'))!) as Drawn;
    expect(drawn.threshold!.label).toBe('> 954 MiB');
    await screenshot(page, 'charts-critical-threshold');
  });

  it('after a tuning decision moved the threshold, draw the one an earlier incident fired against, and say so', async () => {
    const id = await openIncident();
    // The warning rule of the pair, by the line of its "- alert:" (both are in group cache of one file).
    const proposed = await server.app.api('/tuning/decisions', {
      method: 'POST',
      json: { alertname: 'CacheMemoryHigh', line: 4, to: { threshold: 80e6 }, reason: 'steady at 60 MB' },
    });
    expect(proposed.status, await proposed.clone().text()).toBe(201);
    const decision = (await proposed.json()) as { id: number };
    try {
      writeFileSync(join(dir, 'runbooks/rules/cache.yaml'), RULES.replace('> 50e6', '> 80e6'));
      await rules.reload();
      const page = await openTestPage(browser, `${server.url}/incidents/${id}`, { displayName: 'Ana', width: 1440 });
      expect(byTitle(await charts(page, CELLS), 'Resident memory').drawn.threshold!.label).toBe('> 47.7 MiB');
      const note = page.getByRole('region', { name: 'Resident memory', exact: true }).locator('.cell-threshold-note');
      expect(await note.textContent()).toMatch(
        new RegExp(
          `^The line is the rule's threshold when this incident started \\(> 47\\.7 MiB\\); tuning decision #${decision.id} moved it to > 76\\.3 MiB at \\d`,
        ),
      );
      expect(await note.getByRole('link').getAttribute('href')).toBe(`/tuning/${decision.id}`);
      await screenshot(page, 'charts-threshold-moved');
      // An incident that starts now fires against the new threshold: its chart draws that, with nothing to say.
      await database.reset();
      await server.runbooks.reload();
      const later = await openIncident();
      const now = await openTestPage(browser, `${server.url}/incidents/${later}`, { displayName: 'Ana', width: 1440 });
      expect(byTitle(await charts(now, CELLS), 'Resident memory').drawn.threshold!.label).toBe('> 76.3 MiB');
      expect(await now.locator('.cell-threshold-note').count()).toBe(0);
    } finally {
      writeFileSync(join(dir, 'runbooks/rules/cache.yaml'), RULES);
      await rules.reload();
    }
  });

  it('at a critical incident, open the tune panel on the critical rule of the pair', async () => {
    const id = await openIncident('critical');
    const page = await openTestPage(browser, `${server.url}/incidents/${id}?tune=1`, {
      displayName: 'Ana',
      width: 1440,
    });
    const rule = page.getByRole('region', { name: 'Tune CacheMemoryHigh' }).getByLabel('Rule');
    await rule.waitFor();
    expect(await rule.inputValue()).toBe('runbooks/rules/cache.yaml:9');
  });

  it("offer the runbook's range one click away, and keep the viewer's choice", async () => {
    const id = await openIncident();
    const page = await openTestPage(browser, `${server.url}/incidents/${id}`, { displayName: 'Ana', width: 1440 });
    await charts(page, CELLS);
    const select = page.getByRole('region', { name: 'Evictions' }).getByLabel('Range');
    expect(await select.inputValue()).toBe('');
    await select.selectOption({ label: 'last 1d (runbook)' });
    // The subscription follows: a day's window puts a 10-minute incident at the right edge.
    await page.waitForFunction(() => {
      const chart = [...document.querySelectorAll<HTMLElement>('.cell')]
        .find((cell) => cell.querySelector('.cell-title')?.textContent === 'Evictions')
        ?.querySelector<HTMLElement>('.chart');
      const drawn = JSON.parse(chart?.dataset.drawn ?? '{}') as Partial<Drawn>;
      return (
        drawn.marker && drawn.plot && (drawn.marker.x - drawn.plot.left) / (drawn.plot.right - drawn.plot.left) > 0.97
      );
    });
    const evictions = byTitle(await charts(page, CELLS), 'Evictions');
    // Even at the edge, the "incident start" label stays in the plot (left of the line).
    expectInside(evictions.drawn.marker!.box, evictions.drawn.plot, '"incident start" label');
    await screenshot(page, 'charts-incident-1440-light-runbook-range');

    await page.reload();
    await charts(page, CELLS);
    expect(await page.getByRole('region', { name: 'Evictions' }).getByLabel('Range').inputValue()).toBe('86400');
    // Only that cell's choice was kept.
    expect(await page.getByRole('region', { name: 'Heap' }).getByLabel('Range').inputValue()).toBe('');
  });

  it('show a resolved incident in its own window, with no range menu, even where one was chosen while it fired', async () => {
    const id = await openIncident();
    const page = await openTestPage(browser, `${server.url}/incidents/${id}`, { displayName: 'Ana', width: 1440 });
    await charts(page, CELLS);
    await page
      .getByRole('region', { name: 'Evictions' })
      .getByLabel('Range')
      .selectOption({ label: 'last 1d (runbook)' });
    const resolved = await server.app.api(`/incidents/${id}/resolve`, {
      method: 'POST',
      headers: { 'x-alertbook-user': 'Ana' },
    });
    expect(resolved.status).toBe(200);

    await page.reload();
    const evictions = page.getByRole('region', { name: 'Evictions' });
    await evictions.getByText('incident window').waitFor();
    // The server charts a resolved incident's window whatever range is asked: a menu would show a range not drawn.
    expect(await evictions.getByLabel('Range').count()).toBe(0);
    expect(await evictions.getByLabel('Refresh').count()).toBe(0);
    // 30 minutes of lead-up before a 10-minute incident: its start three quarters across, not at a day's right edge.
    expect(markerShare(byTitle(await charts(page, CELLS), 'Evictions'))).toBeCloseTo(0.75, 1);
    await screenshot(page, 'charts-resolved-incident-1440-light');
  });
});
