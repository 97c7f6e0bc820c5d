import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Registry } from 'prom-client';
import { createDatabase, type Database } from '../../src/db/client.js';
import type { Logger } from '../../src/logger.js';
import { reportFolderOnDisk } from '../../src/reports/report-folder.js';
import { startReportSchedule, type ReportSchedule } from '../../src/reports/report-schedule.js';
import { useTestApp } from '../support/app.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';
import { metricSample } from '../support/metrics.js';

const history = historyGenerator();
const app = useTestApp(history.deps);
const dir = mkdtempSync(join(tmpdir(), 'alertbook-report-dir-'));

/** A Slack-like incoming webhook on loopback that answers with the statuses queued, then 200. */
let receiver: Server;
let receiverUrl: string;
/** Answers for the next requests: a status, or `drop` (the connection is cut before any answer: a network error). */
let statuses: (number | 'drop')[] = [];
let received: { text: string }[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body) as { text: string });
      const answer = statuses.shift() ?? 200;
      if (answer === 'drop') req.socket.destroy();
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  rmSync(dir, { recursive: true, force: true });
  history.cleanup();
});

const schedules: ReportSchedule[] = [];
beforeEach(async () => {
  statuses = [];
  received = [];
  rmSync(dir, { recursive: true, force: true });
  await history.attach(app());
  // The clock ends on Monday 26 October 00:30Z: the last complete week in Berlin is 2026-W43.
  await buildDstWeekHistory(history);
});
afterEach(() => {
  for (const s of schedules.splice(0)) s.stop();
});

const PUBLIC_URL = 'https://alertbook.example.com';

/** The log lines a replica wrote. */
function capturingLogger(lines: { level: string; msg: string; fields?: Record<string, unknown> }[]): Logger {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    lines.push({ level, msg, fields });
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** One replica's schedule over `db`, as main.ts starts it, with millisecond backoff. */
function replica(
  name: string,
  { db = app().database.db, schedule = '0 9 * * MON', publicUrl = PUBLIC_URL as string | null } = {},
) {
  const registry = new Registry();
  const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const s = startReportSchedule({
    schedule,
    ctx: { db, clock: history.deps.clock!, defaultTz: 'Europe/Berlin' },
    targets: { webhook: receiverUrl, folder: reportFolderOnDisk(dir), publicUrl, tz: 'Europe/Berlin' },
    instance: name,
    registry,
    logger: capturingLogger(logs),
    options: { backoffMs: [5, 5] },
  });
  schedules.push(s);
  const metric = async (target: string, outcome: string) =>
    metricSample(
      await registry.metrics(),
      `alertbook_report_deliveries_total{target="${target}",outcome="${outcome}"}`,
    );
  return { ...s, metric, logs };
}

describe('scheduled delivery', () => {
  it('stores last week, retries the webhook after a 5xx, writes the markdown file, counts it in metrics', async () => {
    statuses = [503];
    const a = replica('a');
    expect(await a.runOnce()).toMatchObject({ week: '2026-W43', results: { webhook: 'delivered', dir: 'delivered' } });
    expect(received).toHaveLength(2);
    expect(received[1]!.text).toContain('*Alert history 2026-W43 (Europe/Berlin)*');
    expect(received[1]!.text).toContain('6 incidents (n/a week over week)');
    expect(received[1]!.text).toContain(`<${PUBLIC_URL}/api/v1/reports/stored/1?format=html|Full report>`);
    const file = readFileSync(join(dir, '2026-W43.md'), 'utf8');
    expect(file).toContain('# Alert history: 2026-W43 (Europe/Berlin)');
    // ALERTBOOK_PUBLIC_URL is set: the saved file's links work outside the app.
    expect(file).toContain(`(${PUBLIC_URL}/api/v1/incidents?`);
    expect(file).not.toMatch(/\(\/api\/v1\//);
    expect(await a.metric('webhook', 'delivered')).toBe(1);
    expect((await app().api('/reports/stored')).status).toBe(200);
  });

  it('retries after a network error (the connection cut before an answer)', async () => {
    statuses = ['drop'];
    const a = replica('a');
    expect(await a.runOnce()).toMatchObject({ results: { webhook: 'delivered' } });
    expect(received).toHaveLength(2);
    expect(await a.metric('webhook', 'delivered')).toBe(1);
  });

  it('a 4xx other than 429 is not retried: the webhook refused the message', async () => {
    statuses = [400];
    const a = replica('a');
    expect(await a.runOnce()).toMatchObject({ results: { webhook: 'failed' } });
    expect(received).toHaveLength(1);
  });

  it('without ALERTBOOK_PUBLIC_URL the links are relative to the service', async () => {
    const a = replica('a', { publicUrl: null });
    await a.runOnce();
    expect(received[0]!.text).toContain('</api/v1/reports/stored/1?format=html|Full report>');
    expect(readFileSync(join(dir, '2026-W43.md'), 'utf8')).toContain('(/api/v1/incidents?');
  });

  it('sends a week once across a restart', async () => {
    await replica('before-restart').runOnce();
    expect(received).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
    const restarted = replica('after-restart');
    expect(await restarted.runOnce()).toMatchObject({ results: { webhook: 'skipped', dir: 'skipped' } });
    expect(received).toHaveLength(1);
    expect(existsSync(join(dir, '2026-W43.md'))).toBe(false);
    expect(await restarted.metric('webhook', 'skipped')).toBe(1);
  });

  it('sends a week once when two instances on one database fire together', async () => {
    // The second instance has its own connection pool, as a replica would.
    const second: Database = await createDatabase({ target: app().database.target });
    try {
      const outcomes = await Promise.all([replica('one').runOnce(), replica('two', { db: second.db }).runOnce()]);
      const webhookResults = outcomes.map((o) => (o as { results: { webhook: string } }).results.webhook).sort();
      expect(webhookResults).toEqual(['delivered', 'skipped']);
      expect(received).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('a webhook that keeps failing is retried, then recorded as failed (logs, metrics), and not resent by the next run', async () => {
    statuses = [500, 502, 503];
    const a = replica('a');
    expect(await a.runOnce()).toMatchObject({ results: { webhook: 'failed', dir: 'delivered' } });
    expect(received).toHaveLength(3);
    expect(await a.metric('webhook', 'failed')).toBe(1);
    expect(a.logs.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({
        msg: 'report delivery failed',
        fields: expect.objectContaining({ target: 'webhook' }),
      }),
    ]);
    expect(JSON.stringify(a.logs[0]!.fields)).toContain('webhook answered 503');
    await a.runOnce();
    expect(received).toHaveLength(3);
  });

  it('catches up a cron time missed this week at start, once across two instances', async () => {
    // The clock is Monday 01:30 in Berlin: a 01:00 run was due and nobody ran it (all replicas down, or a crash).
    const second: Database = await createDatabase({ target: app().database.target });
    try {
      const one = replica('one', { schedule: '0 1 * * MON' });
      const two = replica('two', { schedule: '0 1 * * MON', db: second.db });
      // Both targets of both replicas have an outcome once the catch-up runs are over.
      const outcomes = async (...replicas: (typeof one)[]) => {
        let n = 0;
        for (const r of replicas)
          for (const target of ['webhook', 'dir'])
            for (const outcome of ['delivered', 'skipped', 'failed']) n += await r.metric(target, outcome);
        return n;
      };
      await vi.waitFor(async () => expect(await outcomes(one, two)).toBe(4), { timeout: 20_000, interval: 50 });
      expect((await one.metric('webhook', 'delivered')) + (await two.metric('webhook', 'delivered'))).toBe(1);
      expect(received).toHaveLength(1);
      expect(received[0]!.text).toContain('*Alert history 2026-W43 (Europe/Berlin)*');
      // A restart later in the week finds the week delivered.
      const restarted = replica('restarted', { schedule: '0 1 * * MON' });
      await vi.waitFor(async () => expect(await outcomes(restarted)).toBe(2), { timeout: 20_000, interval: 50 });
      expect(await restarted.metric('webhook', 'skipped')).toBe(1);
      expect(received).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('runs on its cron schedule', async () => {
    const every = replica('cron', { schedule: '* * * * * *' });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000, interval: 50 });
    // A later tick finds the week claimed.
    await vi.waitFor(async () => expect(await every.metric('webhook', 'skipped')).toBeGreaterThan(0), {
      timeout: 10_000,
      interval: 50,
    });
    expect(received).toHaveLength(1);
  });
});
