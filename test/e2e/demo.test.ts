import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { processGone } from '../../src/db/process-gone.js';
import { PROJECT_DIR } from '../../src/project-dir.js';

// Bundling, the notebook's first build and an initdb on a busy 2-core machine, then the alert's `for`.
const UP_TIMEOUT_MS = 4 * 60_000;
const INCIDENT_TIMEOUT_MS = 3 * 60_000;
const STOP_TIMEOUT_MS = 60_000;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The command as a user types it, in a process group of its own (the terminal's foreground group). */
function runDemo(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const { DATABASE_URL: _d, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd: PROJECT_DIR,
    env: { ...inherited, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  onTestFinished(() => {
    // Only when the test failed before the demo stopped: nothing of it may outlive the test.
    if (child.exitCode === null && child.signalCode === null) killGroup(child.pid!);
  });
  return { child, output: () => output, exited };
}

function killGroup(pgid: number) {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: gone already, as it should be.
  }
}

/** Pid, process group and command line of every process on the machine. */
function processes(): Array<{ pid: number; pgid: number; cmdline: string }> {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // After the command name in parentheses: state, ppid, pgrp.
        const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
        return zombie ? [] : [{ pid: Number(name), pgid, cmdline }];
      } catch {
        return []; // Exited while we looked.
      }
    });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('npm run demo', () => {
  it('without Prometheus prints the command that installs it and exits 2', async () => {
    const run = runDemo(process.execPath, ['--import', 'tsx', 'src/demo/run-demo.ts'], {
      PROMETHEUS_BIN: '/nonexistent/prometheus',
    });
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.output()).toContain('sudo apt-get install -y prometheus prometheus-alertmanager');
  });

  it('starts Prometheus, Alertmanager, the demo service and Alertbook; an incident with live data opens; Ctrl-C stops it all', {
    timeout: UP_TIMEOUT_MS + INCIDENT_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000,
  }, async () => {
    const demo = await demoUp();
    const { notebook } = demo;

    // An incident opened by the real chain: demo service → Prometheus rule → Alertmanager → webhook.
    const incident = await vi.waitFor(
      async () => {
        demo.assertRunning();
        const { incidents } = await json<{ incidents: Array<{ id: number; alertname: string; status: string }> }>(
          await fetch(new URL('api/v1/incidents?status=firing', notebook)),
        );
        expect(incidents.length).toBeGreaterThan(0);
        return incidents[0]!;
      },
      { timeout: INCIDENT_TIMEOUT_MS, interval: 2_000 },
    );
    expect(['ApiHighErrorRate', 'ApiHighLatency']).toContain(incident.alertname);

    // Its Alertmanager and "Prometheus graph" links name the peers as the demo printed them, not by the machine's hostname.
    const { incident: detail, alerts } = await json<{
      incident: { externalUrl: string };
      alerts: Array<{ generatorURL: string }>;
    }>(await fetch(new URL(`api/v1/incidents/${incident.id}`, notebook)));
    expect(detail.externalUrl).toBe(demo.peerUrl('Alertmanager'));
    expect(alerts[0]!.generatorURL.startsWith(`${demo.peerUrl('Prometheus')}/graph?`), alerts[0]!.generatorURL).toBe(
      true,
    );

    // Its shipped runbook is linked, and a chart cell's query, filled with the alert's labels, has data.
    const { runbook } = await json<{
      runbook: { id: string; cells: Array<{ renderedQuery: string; instant: boolean }> };
    }>(await fetch(new URL(`api/v1/incidents/${incident.id}/runbook`, notebook)));
    expect(runbook.id).toBe(incident.alertname === 'ApiHighErrorRate' ? 'api-error-rate' : 'api-latency');
    const chart = runbook.cells.find((cell) => !cell.instant)!;
    const end = Math.floor(Date.now() / 1000);
    const result = await json<{ series: Array<{ values: unknown[] }> }>(
      await fetch(new URL('api/v1/query', notebook), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-alertbook-request': '1' },
        body: JSON.stringify({ query: chart.renderedQuery, start: end - 600, end, step: 15 }),
      }),
    );
    expect(result.series.length).toBeGreaterThan(0);
    expect(result.series[0]!.values.length).toBeGreaterThan(0);

    // Ctrl-C: the terminal signals the whole foreground group (npm and the launcher it execs).
    process.kill(-demo.run.child.pid!, 'SIGINT');
    expect(await exitWithin(demo.run, STOP_TIMEOUT_MS), demo.run.output()).toEqual({ code: 0, signal: null });
    await expectNothingLeft(demo);
    expect(demo.run.output()).toMatch(/^demo: stopped$/m);
  });

  it('stops everything with a message and exit 1 when Alertbook dies, its orphaned embedded Postgres too', {
    timeout: UP_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000,
  }, async () => {
    const demo = await demoUp();
    const alertbook = Number(demo.run.output().match(/^demo: Alertbook ready at \S+ \(pid (\d+)\)/m)![1]);

    process.kill(alertbook, 'SIGKILL');
    expect(await exitWithin(demo.run, STOP_TIMEOUT_MS), demo.run.output()).toEqual({ code: 1, signal: null });
    expect(demo.run.output()).toMatch(/^demo: Alertbook exited unexpectedly \(SIGKILL\)/m);
    expect(demo.run.output()).toMatch(/^demo: stopping the embedded Postgres Alertbook left behind/m);
    await expectNothingLeft(demo);
  });
});

interface DemoUp {
  run: Run;
  notebook: URL;
  tempDir: string;
  /** The peers' process groups (Alertbook, Prometheus, Alertmanager). */
  childPids: number[];
  /** Every port the demo printed: the notebook, Prometheus, Alertmanager and the demo service. */
  ports: number[];
  postmaster: number;
  /** Throws (with its output) when the demo has exited. */
  assertRunning(): void;
  /** The URL the demo printed for a peer ("Prometheus", "Alertmanager"). */
  peerUrl(name: string): string;
}

/** `npm run demo` until it prints the notebook URL. */
async function demoUp(): Promise<DemoUp> {
  const run = runDemo('npm', ['run', 'demo', '--silent']);
  let gone: string | undefined;
  void run.exited.then((how) => (gone = JSON.stringify(how)));
  const assertRunning = () => {
    if (gone) throw new Error(`the demo exited (${gone}):\n${run.output()}`);
  };
  await vi.waitFor(
    () => {
      assertRunning();
      expect(run.output()).toMatch(/^Notebook: /m);
    },
    { timeout: UP_TIMEOUT_MS, interval: 500 },
  );
  const output = run.output();
  const tempDir = output.match(/^demo: temp dir (\S+)/m)![1]!;
  const childPids = [...output.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
  const ports = [...new Set([...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))];
  expect(childPids).toHaveLength(3);
  expect(ports).toHaveLength(4);
  const postmaster = Number(
    readFileSync(join(tempDir, 'alertbook', 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  expect(processGone(postmaster)).toBe(false);
  onTestFinished(() => {
    // Only when the test failed before the demo cleaned up: its peers and database may not outlive the test.
    for (const pid of childPids) killGroup(pid);
    if (!processGone(postmaster)) process.kill(postmaster, 'SIGKILL');
  });
  return {
    run,
    notebook: new URL(output.match(/^Notebook: (\S+)/m)![1]!),
    tempDir,
    childPids,
    ports,
    postmaster,
    assertRunning,
    peerUrl: (name) => output.match(new RegExp(`^demo: ${name} ready at (\\S+) `, 'm'))![1]!,
  };
}

async function exitWithin(run: Run, timeoutMs: number) {
  return Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), timeoutMs))]);
}

/** No process of the demo's groups or naming its temp dir, the embedded Postgres gone, every port closed, the temp dir removed. */
async function expectNothingLeft(demo: DemoUp) {
  const groups = new Set([demo.run.child.pid!, ...demo.childPids]);
  expect(processes().filter((p) => groups.has(p.pgid) || p.cmdline.includes(demo.tempDir))).toEqual([]);
  expect(processGone(demo.postmaster)).toBe(true);
  for (const port of demo.ports) expect(await portOpen(port), `port ${port}`).toBe(false);
  expect(existsSync(demo.tempDir)).toBe(false);
}
