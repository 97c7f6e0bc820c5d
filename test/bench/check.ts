// `npm run bench:check`: `alertbook check` over 1,000 runbooks and 1,000 alerting rules, which must
// take under 3 s. Generates them in a temp dir, checks them in-process, then once through the CLI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../src/cli/commands/check.js';

const RUNBOOKS = 1_000;
const RULES_PER_FILE = 100;
const BUDGET_MS = 3_000;
const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

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

async function main(): Promise<number> {
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
    // The budget is the check's; the CLI run adds Node start-up and tsx loading TypeScript (about 1 s).
    const withinBudget = inProcessMs < BUDGET_MS;
    process.stdout.write(
      `alertbook check, ${RUNBOOKS} runbooks (${3 * RUNBOOKS} cells) and ${RUNBOOKS} rules:\n` +
        `  in-process  ${inProcessMs.toFixed(0).padStart(5)} ms (${cpuMs.toFixed(0)} ms CPU)\n` +
        `  CLI         ${cliMs.toFixed(0).padStart(5)} ms (process start and TypeScript loading included)\n` +
        `  budget      ${BUDGET_MS.toString().padStart(5)} ms in-process: ${withinBudget ? 'met' : 'MISSED'} (load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs)\n`,
    );
    if (!correct) {
      process.stderr.write(
        `unexpected result:\n  in-process (exit ${exitCode}): ${summary}\n  CLI (exit ${cli.status}): ${cli.stdout}${cli.stderr}\n`,
      );
    }
    return correct && withinBudget ? 0 : 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
