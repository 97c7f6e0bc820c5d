// `npm run bench:check`: first the shipped runbooks/ through the CLI beside `promtool check rules` on the
// same rule files (median of 5 each; target ≤ 3 × promtool); then `alertbook check` over 1,000 runbooks and
// 1,000 alerting rules, which must take under 3 s. Generates those in a temp dir, checks them in-process,
// then once through the CLI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../src/cli/commands/check.js';

const RUNBOOKS = 1_000;
const RULES_PER_FILE = 100;
const BUDGET_MS = 3_000;
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'src/cli/bin.js');
const RUNS = 5;
const PROMTOOL_FACTOR = 3;

function alertname(i: number): string {
  return `ServiceErrorRateHigh${i}`;
}

/** A realistic runbook: frontmatter, the four sections, three templated cells, task-list steps, a shell block. */
function runbook(i: number): string {
  // Every fifth runbook is found by its file name instead of its frontmatter.
  const alerts = i % 5 === 0 ? '[]' : `[${alertname(i)}]`;
  return `---
title: Service ${i} error rate high
alerts: ${alerts}
owner: team-${i % 20}
---

## Meaning

Service ${i} answers more than 1 % of its requests with a 5xx status.

## Impact

Users of service ${i} see errors.

## Diagnosis

\`\`\`promql title="5xx ratio" range=3h step=1m threshold=0.01 unit=percentunit
sum(rate(http_requests_total{job="{{ $labels.job }}", code=~"5.."}[5m]))
  / sum(rate(http_requests_total{job="{{ $labels.job }}"}[5m]))
\`\`\`

\`\`\`promql title="5xx by route" instant
sort_desc(sum by (route, code) (rate(http_requests_total{job="{{ $labels.job }}", route=~"{{ $labels.route }}", code=~"5.."}[5m])))
\`\`\`

\`\`\`promql title="Restarts" range=6h step=5m
sum(changes(process_start_time_seconds{job="{{ $labels.job }}"}[5m]))
\`\`\`

- [ ] Note when the ratio started rising
- [ ] Identify the failing routes
- [ ] Compare with the last deploy

\`\`\`sh
kubectl -n production rollout history deployment/service-${i}
\`\`\`

## Mitigation

Roll back the last deploy of service ${i}.
`;
}

function ruleFile(first: number): string {
  const rules = Array.from({ length: RULES_PER_FILE }, (_, k) => {
    const i = first + k;
    return `      - alert: ${alertname(i)}
        expr: |
          sum by (job, route) (rate(http_requests_total{job="service-${i}", code=~"5.."}[5m]))
            / sum by (job, route) (rate(http_requests_total{job="service-${i}"}[5m])) > 0.01
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "Service ${i} fails {{ $value | humanizePercentage }} of requests"`;
  });
  return `groups:\n  - name: services-${first}\n    rules:\n${rules.join('\n')}\n`;
}

function generate(dir: string): void {
  mkdirSync(join(dir, 'rules'), { recursive: true });
  for (let i = 0; i < RUNBOOKS; i++) {
    const name = i % 5 === 0 ? `service-error-rate-high${i}` : `service-${i}`;
    writeFileSync(join(dir, `${name}.md`), runbook(i));
  }
  for (let first = 0; first < RUNBOOKS; first += RULES_PER_FILE) {
    writeFileSync(join(dir, 'rules', `services-${first}.yaml`), ruleFile(first));
  }
}

/** Wall time of a process from spawn to exit, in ms; throws when it fails. */
function timed(command: string, args: string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: REPO, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stdout}${run.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The shipped runbooks: `alertbook check` warm (parse cache filled), cold (cache emptied first), and promtool. */
function versusPromtool(): boolean {
  const ruleFiles = readdirSync(join(REPO, 'runbooks/rules'))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `runbooks/rules/${name}`);
  // Built first if stale, so no run below pays for building; its manifest names the bundle, and so its parse cache.
  spawnSync(process.execPath, [join(REPO, 'src/cli/cli-bundle.js')], { cwd: REPO });
  const { hash } = JSON.parse(readFileSync(join(REPO, '.build/cli/manifest.json'), 'utf8')) as { hash: string };
  const cacheDir = join(REPO, '.build/cli', hash, 'cache');
  const node = median(Array.from({ length: RUNS }, () => timed(process.execPath, ['-e', '0'])));
  const promtool = median(Array.from({ length: RUNS }, () => timed('promtool', ['check', 'rules', ...ruleFiles])));
  const cold = median(
    Array.from({ length: RUNS }, () => {
      rmSync(cacheDir, { recursive: true, force: true });
      return timed(process.execPath, [BIN, 'check', 'runbooks']);
    }),
  );
  const warm = median(Array.from({ length: RUNS }, () => timed(process.execPath, [BIN, 'check', 'runbooks'])));
  const met = warm <= PROMTOOL_FACTOR * promtool;
  const row = (name: string, ms: number) =>
    `  ${name.padEnd(42)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / promtool).toFixed(1).padStart(5)} × promtool\n`;
  process.stdout.write(
    `shipped runbooks/ (${ruleFiles.length} rule files), median of ${RUNS}:\n` +
      row('promtool check rules', promtool) +
      row('node -e 0 (Node start-up alone)', node) +
      row('alertbook check runbooks, cold (no cache)', cold) +
      row('alertbook check runbooks, warm', warm) +
      `  target ≤ ${PROMTOOL_FACTOR} × promtool (warm): ${met ? 'met' : 'MISSED'} (load average ${loadavg()[0]?.toFixed(1)})\n\n`,
  );
  return met;
}

async function main(): Promise<number> {
  const fastEnough = versusPromtool();
  const root = mkdtempSync(join(tmpdir(), 'alertbook-bench-check-'));
  try {
    const dir = join(root, 'runbooks');
    generate(dir);

    let stdout = '';
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const exitCode = await runCheck([dir], {
      cwd: root,
      stdout: (text) => (stdout += text),
      stderr: (text) => process.stderr.write(text),
    });
    const inProcessMs = performance.now() - started;
    // CPU time says what the check costs when the machine is busy with other work too.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;

    const cliStarted = performance.now();
    const cli = spawnSync(process.execPath, [BIN, 'check', 'runbooks'], { cwd: root, encoding: 'utf8' });
    const cliMs = performance.now() - cliStarted;

    const summary = stdout.trimEnd().split('\n').at(-1);
    const expected = `checked ${RUNBOOKS} runbooks, ${RUNBOOKS} rules: 0 errors, 0 warnings`;
    const correct = exitCode === 0 && summary === expected && cli.status === 0 && cli.stdout.trimEnd() === expected;
    // The budget is the check's; the CLI run adds Node start-up and loading the bundle.
    const withinBudget = inProcessMs < BUDGET_MS;
    process.stdout.write(
      `alertbook check, ${RUNBOOKS} runbooks (${3 * RUNBOOKS} cells) and ${RUNBOOKS} rules:\n` +
        `  in-process  ${inProcessMs.toFixed(0).padStart(5)} ms (${cpuMs.toFixed(0)} ms CPU)\n` +
        `  CLI         ${cliMs.toFixed(0).padStart(5)} ms (process start and bundle loading included, parse cache cold)\n` +
        `  budget      ${BUDGET_MS.toString().padStart(5)} ms in-process: ${withinBudget ? 'met' : 'MISSED'} (load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs)\n`,
    );
    if (!correct) {
      process.stderr.write(
        `unexpected result:\n  in-process (exit ${exitCode}): ${summary}\n  CLI (exit ${cli.status}): ${cli.stdout}${cli.stderr}\n`,
      );
    }
    return correct && withinBudget && fastEnough ? 0 : 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
