// `npm run bench:script`: a script cell making one query, from POST /incidents/:id/cells/:cellId/run to
// the stored `cell.run` event, p50 and p99 over 50 runs (target p50 < 200 ms on the 2-core machine),
// beside the floor: a bare `deno run` of an empty file. Between the two, where the time goes: Deno
// with Alertbook's flags and prelude (an empty cell), then the runner with its gateway round trip
// (no database). Then 20 runs requested at once: how many queue or are refused, and the service's peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logger.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { locateDeno } from '../../src/script-cells/deno-binary.js';
import { buildPrelude } from '../../src/script-cells/prelude.js';
import { DEFAULT_LIMITS, runDeno } from '../../src/script-cells/run-deno.js';
import { createTestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { startFakePrometheus } from '../support/fake-prometheus.js';
import { amAlert, amNotification } from '../support/payloads.js';

const RUNS = 50;
const ONE_QUERY = "const up = await query('up');\nshow.table(up.series.map((s) => s.metric));\n";
const BURST = 20;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`;
};

const deno = locateDeno();
if (!deno.available) throw new Error(deno.reason);
const dir = mkdtempSync(join(tmpdir(), 'alertbook-bench-script-'));
try {
  // The floor: Deno starting and exiting, nothing else.
  writeFileSync(join(dir, 'empty.ts'), '');
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    spawnSync(deno.path, ['run', '--no-prompt', '--no-config', 'empty.ts'], {
      cwd: dir,
      env: { DENO_DIR: join(dir, 'deno') },
    });
    floor.push(performance.now() - started);
  }

  writeFileSync(
    join(dir, 'bench.md'),
    `---\ntitle: Bench\nalerts: [Bench]\n---\n\`\`\`ts id=one-query\n${ONE_QUERY}\`\`\`\n`,
  );
  const prometheus = await startFakePrometheus();
  const database = await createTestDatabase();
  const library = new RunbookLibrary({ dir, db: database.db, logger: createLogger({ silent: true }) });
  await library.reload();
  const t = await createTestApp(database, {
    runbooks: { catalogue: library.catalogue, reload: () => library.reload() },
    datasources: new Datasources([{ name: 'default', url: prometheus.url }]),
    scripts: {
      deno,
      denoDir: join(dir, 'deno'),
      runbooksDir: dir,
      serviceEnv: {},
      ceiling: { net: [], env: [] },
      concurrency: 2,
    },
  });
  await t.hook(amNotification([amAlert({ alertname: 'Bench' })]));
  const { incidents } = (await (await t.api('/incidents')).json()) as { incidents: { id: number }[] };
  const id = incidents[0]!.id;
  const run = () => t.api(`/incidents/${id}/cells/one-query/run`, { method: 'POST' });

  // Deno started as a run is (flags, temp dir, prelude, the cell's TypeScript), doing nothing.
  const withPrelude: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await runDeno({
      denoPath: deno.path,
      denoDir: join(dir, 'deno'),
      code: 'const nothing: number = 0;\n',
      prelude: (marker) =>
        buildPrelude({
          marker,
          gatewayUrl: 'http://127.0.0.1:1',
          token: 'unused',
          datasource: 'default',
          alert: { labels: {}, annotations: {} },
          incident: { id: 1, title: 'Bench', status: 'firing', startedAt: new Date().toISOString() },
        }),
      permissionFlags: ['--allow-net=127.0.0.1:1'],
      env: {},
      limits: { ...DEFAULT_LIMITS, timeoutMs: 10_000 },
    });
    if (!result.ok) throw new Error(`empty cell: ${result.error}`);
    withPrelude.push(result.durationMs);
  }

  // The runner: queue place, gateway token, the query's round trip; no database.
  const runnerOnly: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = await t.scripts.runner.run({
      code: ONE_QUERY,
      timeoutSeconds: 10,
      permissions: { net: [], env: [], read: [] },
      datasource: 'default',
      alert: { labels: {}, annotations: {} },
      incident: { id: 1, title: 'Bench', status: 'firing', startedAt: new Date().toISOString() },
    });
    if (!result.ok) throw new Error(`runner: ${result.error}`);
    runnerOnly.push(performance.now() - started);
  }

  const cell: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = await run();
    if (res.status !== 200) throw new Error(`run ${i}: ${res.status} ${await res.text()}`);
    cell.push(performance.now() - started);
  }

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const burstStarted = performance.now();
  const statuses = await Promise.all(Array.from({ length: BURST }, () => run().then((res) => res.status)));
  const burstMs = performance.now() - burstStarted;
  clearInterval(sampler);

  const count = (status: number) => statuses.filter((s) => s === status).length;
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`bare deno run of an empty file (floor), ${RUNS} runs: ${summary(floor)}`);
  console.log(`deno run as a cell runs (flags, prelude, TypeScript), empty cell: ${summary(withPrelude)}`);
  console.log(`runner only (one query through the gateway, no database): ${summary(runnerOnly)}`);
  console.log(`one-query cell, POST to stored cell.run, ${RUNS} runs: ${summary(cell)}`);
  console.log(
    `${BURST} runs at once (concurrency 2, queue 4): ${count(200)} ran, ${count(429)} refused with 429, ` +
      `${burstMs.toFixed(0)} ms in all; service peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`,
  );
  await t.close();
  await prometheus.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
