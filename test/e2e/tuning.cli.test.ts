import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKENS, createTestApp, type TestApp } from '../support/app.js';
import {
  startBackfilledPrometheus,
  type BackfilledPrometheus,
  type HistorySample,
} from '../support/backfilled-prometheus.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runAlertbook, type CliRun } from '../support/cli.js';

const MINUTE = 60;
// Six and a half hours of history up to now, in hours counted from BASE, so that the 6h window opens and closes
// at minute 30 of such an hour, away from the spikes at minutes 10–11 whatever the time of day. (Counted from the
// clock's hours, the test failed when run at :10–:16: the current hour's spike had fired and not yet resolved.)
const BASE = Math.floor(Date.now() / 60_000) * 60 - 6 * 3600 - 30 * MINUTE;
/** The acknowledged incident: 20 minutes of 0.9 s in hour 3. */
const INCIDENT = { from: BASE + 3 * 3600 + 30 * MINUTE, to: BASE + 3 * 3600 + 50 * MINUTE };

const RULES = `groups:
  - name: api
    rules:
      # p95 latency of the API
      - alert: Latency
        expr: latency_seconds > 0.5
        for: 1m
        labels:
          severity: warning
`;

/**
 * Normal traffic between 0.15 and 0.25 s; a 2-minute spike to 0.8 s at minutes
 * 10–11 of every hour (each one a flap of the rule as written); the incident.
 */
function latency(): HistorySample[] {
  const samples: HistorySample[] = [];
  for (let time = BASE; time <= Date.now() / 1000; time += MINUTE) {
    const minute = (time - BASE) / MINUTE;
    const spike = minute % 60 === 10 || minute % 60 === 11;
    const incident = time >= INCIDENT.from && time < INCIDENT.to;
    samples.push([time, incident ? 0.9 : spike ? 0.8 : 0.2 + 0.05 * Math.sin(minute)]);
  }
  return samples;
}

/** A decision as the contract's `GET /tuning/decisions` lists it: the change check's test makes. */
const DECISION = {
  id: 7,
  alertname: 'Latency',
  group: 'api',
  thresholdIndex: 0,
  status: 'proposed',
  reason: 'p95 of normal traffic + 25 %',
  actor: 'alice',
  to: { threshold: 0.31, for: '2m', keepFiringFor: null, expr: null },
};

function alertbook(args: string[], cwd: string): Promise<CliRun> {
  return runAlertbook(args, { cwd, env: { ...process.env, ALERTBOOK_TOKEN: API_TOKENS[0]!.token } });
}

describe('alertbook tune against a backfilled Prometheus and a running Alertbook', () => {
  let prometheus: BackfilledPrometheus;
  let app: TestApp;
  let server: TestServer;
  let dir: string;
  let incidentId: number;
  /** Decisions the CLI posted (the decisions API is the tune-decisions branch's: recorded here as it arrives). */
  const posted: unknown[] = [];

  beforeAll(async () => {
    prometheus = await startBackfilledPrometheus([
      { metric: 'latency_seconds', labels: { job: 'api' }, samples: latency() },
    ]);
    app = await createTestApp(await createTestDatabase());
    server = await startTestServer(app, {
      around: (fetch) => async (request, env) => {
        if (new URL(request.url).pathname !== '/api/v1/tuning/decisions') return fetch(request, env);
        if (request.method === 'POST') {
          posted.push({ authorization: request.headers.get('authorization'), body: await request.json() });
          return Response.json({ id: 7, status: 'proposed' }, { status: 201 });
        }
        // As the contract lists them: one decision for the rule as check's test changes it.
        return Response.json({ decisions: [DECISION] });
      },
    });
    const alert = { alertname: 'Latency', startsAt: new Date(INCIDENT.from * 1000).toISOString() };
    expect((await app.hook(amNotification([amAlert(alert)]))).status).toBe(200);
    const { incidents } = (await (await app.api('/incidents')).json()) as { incidents: { id: number }[] };
    incidentId = incidents[0]!.id;
    expect((await app.api(`/incidents/${incidentId}/ack`, { method: 'POST' })).status).toBe(200);
    const resolved = amAlert({ ...alert, status: 'resolved', endsAt: new Date(INCIDENT.to * 1000).toISOString() });
    expect((await app.hook(amNotification([resolved]))).status).toBe(200);

    dir = await mkdtemp(join(tmpdir(), 'alertbook-tune-'));
    await mkdir(join(dir, 'runbooks/rules'), { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    await prometheus?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const writeRules = () => writeFile(join(dir, 'runbooks/rules/api.yaml'), RULES);
  const tune = (...args: string[]) =>
    alertbook(['tune', 'Latency', '--prometheus', prometheus.url, '--window', '6h', ...args], dir);

  it('suggests p95 × 1.25 of normal traffic and the for that removes the flaps, backtested: the incident still fires', async () => {
    await writeRules();
    const run = await tune('--server', server.url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Left out of the baseline, the incident does not lift p95: 0.25 × 1.25.
    expect(run.stdout).toContain('1 incident period(s) left out');
    expect(run.stdout).toMatch(/\n {2}suggested +0\.31 +2m /);
    expect(run.stdout).toMatch(
      /would have fired 1 time instead of \d+ in the last 6h, 0 of 1 acknowledged incident missed/,
    );
    expect(run.stdout).toContain('Incidents recorded: 1 (1 acknowledged, 0 resolved unacknowledged)');
    expect(run.stdout).toContain('Missed incidents: none');
    const current = /\n {2}current +0\.5 +1m +0s +(\d+) +(\d+) /.exec(run.stdout);
    // Every spike of the window fired and flapped; the incident fired once more.
    expect(Number(current![1])).toBeGreaterThanOrEqual(6);
    expect(Number(current![2])).toBe(Number(current![1]) - 1);
  });

  it('backtests a threshold and for of its own, and exits 1 when it would miss an acknowledged incident', async () => {
    await writeRules();
    const run = await tune('--server', server.url, '--threshold', '1', '--for', '2m');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\n {2}proposed +1 +2m +0s +0 +0 +0s +1 of 1/);
    expect(run.stdout).toContain(`MISSED INCIDENTS: #${incidentId} (`);
  });

  it('says missed incidents are not known without --server, and leaves nothing out of the baseline', async () => {
    await writeRules();
    const run = await tune();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 incident period(s) left out');
    expect(run.stdout).toContain('Missed incidents: not known (give --server');
  });

  it('--write patches the threshold and for in place, everything else as written; promtool accepts the file', async () => {
    await writeRules();
    const run = await tune('--server', server.url, '--write');
    expect(run.code).toBe(0);
    const written = await readFile(join(dir, 'runbooks/rules/api.yaml'), 'utf8');
    expect(written).toBe(RULES.replace('> 0.5', '> 0.31').replace('for: 1m', 'for: 2m'));
    expect(run.stdout).toContain('-        expr: latency_seconds > 0.5');
    await promisify(execFile)(process.env.PROMTOOL_BIN ?? 'promtool', [
      'check',
      'rules',
      join(dir, 'runbooks/rules/api.yaml'),
    ]);
    // Run again, the rule already holds the values: nothing to write.
    const again = await tune('--threshold', '0.31', '--for', '2m', '--write');
    expect(again.stderr).toContain('already holds these values');
  });

  it('--record posts the decision with the token from ALERTBOOK_TOKEN', async () => {
    await writeRules();
    const run = await tune('--server', server.url, '--record', '--reason', 'p95 of normal traffic + 25 %');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Recorded decision 7 (proposed)');
    expect(posted.at(-1)).toEqual({
      authorization: `Bearer ${API_TOKENS[0]!.token}`,
      body: {
        alertname: 'Latency',
        group: 'api',
        file: 'runbooks/rules/api.yaml',
        line: 5,
        thresholdIndex: 0,
        to: { threshold: 0.31, for: '2m' },
        reason: 'p95 of normal traffic + 25 %',
      },
    });
  });

  it('check --changed-since backtests old versus new of every rule whose threshold or for changed', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'alertbook-tune-git-'));
    try {
      const git = (...args: string[]) =>
        promisify(execFile)('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
          cwd: repo,
        });
      await git('init', '-q', '-b', 'main');
      await mkdir(join(repo, 'runbooks/rules'), { recursive: true });
      const file = join(repo, 'runbooks/rules/api.yaml');
      const untouched = '\n      - alert: Quiet\n        expr: latency_seconds > 5\n';
      await writeFile(file, RULES + untouched);
      await git('add', '.');
      await git('commit', '-q', '-m', 'rules');
      await writeFile(file, RULES.replace('> 0.5', '> 0.31').replace('for: 1m', 'for: 2m') + untouched);

      const check = (...args: string[]) =>
        alertbook(['check', '--changed-since', 'main', '--prometheus', prometheus.url, ...args], repo);
      const withServer = await check('--format', 'markdown', '--server', server.url);
      expect(withServer.stderr).toBe('');
      const row =
        /\| `Latency` \(`runbooks\/rules\/api\.yaml:5`\) \| threshold 0\.5 → 0\.31, for 1m → 2m \| would have fired (\d+) → 1 times in the last 7d; missed incidents: none \| #7 \(proposed\): p95 of normal traffic \+ 25 % \|/.exec(
          withServer.stdout,
        );
      expect(withServer.stdout).toContain('#### Alerting rules tuned since `main`');
      expect(Number(row![1])).toBeGreaterThanOrEqual(6);
      // The untouched rule is not listed.
      expect(withServer.stdout).not.toContain('`Quiet`');

      const alone = await check();
      expect(alone.stdout).toMatch(
        /runbooks\/rules\/api\.yaml:5: Latency: threshold 0\.5 → 0\.31, for 1m → 2m: would have fired \d+ → 1 times in the last 7d; missed incidents: not known \(no --server\)\n/,
      );
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the problem: unknown alertname, bad option, Prometheus down', async () => {
    await writeRules();
    const unknown = await alertbook(['tune', 'Nope', '--prometheus', prometheus.url], dir);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('alerting rule "Nope" not found') });
    const badWindow = await tune('--window', 'a week');
    expect(badWindow).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--window must be a Prometheus duration'),
    });
    const badLine = await tune('--line', 'five');
    expect(badLine).toMatchObject({ code: 2, stderr: expect.stringContaining('--line must be a line number') });
    const noRuleThere = await tune('--line', '6');
    expect(noRuleThere).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('alerting rule "Latency" in line 6 not found'),
    });
    const down = await alertbook(['tune', 'Latency', '--prometheus', 'http://127.0.0.1:1'], dir);
    expect(down.code).toBe(2);
  });
});
