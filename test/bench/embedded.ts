// `npm run bench:embedded`: the service on its embedded Postgres, run as `npm start` runs it (the bundle, plain
// node): first start and restart to /readyz, idle memory of the app and of the database's processes, and a storm of
// 10,000 alerts. Prints a Markdown row for test/bench/RESULTS.md. See test/bench/README.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_DIR } from '../../src/project-dir.js';
import { freeLoopbackPort } from '../support/peer-process.js';
import { amAlert, amNotification } from '../support/payloads.js';

const NOTIFICATIONS = 100;
const ALERTS_PER_NOTIFICATION = 100;
const IN_FLIGHT = 4;
const SETTLE_MS = 10_000; // After /readyz, before measuring idle memory: startup garbage collected, pools idle.

interface Memory {
  rssMb: number;
  pssMb: number;
}

const dataDir = await mkdtemp(join(tmpdir(), 'alertbook-bench-embedded-'));
await chmod(dataDir, 0o755); // mkdtemp's 0700 would lock out the database's account when we run as root.
const port = await freeLoopbackPort();
const origin = `http://127.0.0.1:${port}`;
const loadAtStart = loadavg()[0]!;
try {
  process.stderr.write('building…\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_DIR, stdio: 'inherit' });
  // The web bundle is built by the first start when stale: build it now, so neither start times it.
  execFileSync('npm', ['run', 'build:web', '--silent'], { cwd: PROJECT_DIR, stdio: 'ignore' });

  const first = await startService();
  process.stderr.write(`first start: ${first.readyMs} ms\n`);
  await stopService(first.child);
  const second = await startService();
  process.stderr.write(`restart: ${second.readyMs} ms\n`);
  await sleep(SETTLE_MS);
  const idle = { app: memoryOf([second.child.pid!]), database: memoryOf(await postgresPids()) };
  process.stderr.write(`idle: ${JSON.stringify(idle)}\n`);
  const storm = await sendStorm();
  const afterStorm = { app: memoryOf([second.child.pid!]), database: memoryOf(await postgresPids()) };
  process.stderr.write(`storm: ${JSON.stringify(storm)}, after: ${JSON.stringify(afterStorm)}\n`);
  await stopService(second.child);

  const mb = (m: Memory) => `${m.rssMb} / ${m.pssMb}`;
  const total = (a: Memory, b: Memory) => ({ rssMb: a.rssMb + b.rssMb, pssMb: a.pssMb + b.pssMb });
  process.stdout.write(
    `| ${new Date().toISOString().slice(0, 10)} | ${first.readyMs} ms | ${second.readyMs} ms | ${mb(idle.app)} | ${mb(idle.database)} | ` +
      `${mb(total(idle.app, idle.database))} | ${storm.alerts} alerts in ${storm.seconds.toFixed(1)} s (${Math.round(storm.alerts / storm.seconds)}/s) | ` +
      `${mb(total(afterStorm.app, afterStorm.database))} | ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} |\n`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

/** Starts `node .build/main.js` (what `npm start` execs) and times it from spawn to the first 200 from /readyz. */
async function startService(): Promise<{ child: ChildProcess; readyMs: number }> {
  const { DATABASE_URL: _server, ...env } = process.env;
  const started = performance.now();
  const child = spawn(process.execPath, ['--max-old-space-size=512', '--enable-source-maps', '.build/main.js'], {
    cwd: PROJECT_DIR,
    env: { ...env, PORT: String(port), ALERTBOOK_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    const ready = await fetch(`${origin}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, readyMs: Math.round(performance.now() - started) };
    await sleep(20);
  }
}

async function stopService(child: ChildProcess) {
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
}

async function postgresPids(): Promise<number[]> {
  const postmaster = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .trim()
    .split(/\s+/)
    .map(Number);
  return [postmaster, ...children];
}

/** RSS counts shared pages (Postgres' shared buffers, libraries) once per process; PSS shares them out. */
function memoryOf(pids: number[]): Memory {
  let rssKb = 0;
  let pssKb = 0;
  for (const pid of pids) {
    const rollup = execFileSync('cat', [`/proc/${pid}/smaps_rollup`], { encoding: 'utf8' });
    rssKb += Number(/^Rss:\s+(\d+)/m.exec(rollup)![1]);
    pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)![1]);
  }
  return { rssMb: Math.round(rssKb / 1024), pssMb: Math.round(pssKb / 1024) };
}

/** 10,000 firing alerts, new to the service: 100 notifications of 100, four in flight. */
async function sendStorm(): Promise<{ alerts: number; seconds: number }> {
  const bodies = Array.from({ length: NOTIFICATIONS }, (_, n) =>
    JSON.stringify(
      amNotification(
        Array.from({ length: ALERTS_PER_NOTIFICATION }, (_, i) =>
          amAlert({ alertname: `Storm${n % 10}`, labels: { instance: `host-${n}-${i}:9100` } }),
        ),
        { groupKey: `{}:{alertname="Storm${n}"}` },
      ),
    ),
  );
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const answer = await fetch(`${origin}/hooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (answer.status !== 200) throw new Error(`intake answered ${answer.status}: ${await answer.text()}`);
      }
    }),
  );
  return { alerts: NOTIFICATIONS * ALERTS_PER_NOTIFICATION, seconds: (performance.now() - started) / 1000 };
}
