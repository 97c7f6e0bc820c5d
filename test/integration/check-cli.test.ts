import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertbook, type CliRun } from '../support/cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GOOD = 'test/fixtures/check/good';
const BAD = 'test/fixtures/check/bad';

/** The CLI as CI runs it: its own process, the package's bin entry. */
const alertbook = (args: string[], cwd = REPO): Promise<CliRun> =>
  runAlertbook(args, { cwd, env: { ...process.env, NO_COLOR: '1' } });

/** git in a temp repository, as a committer named test. */
function gitIn(repo: string, args: string[]): Buffer {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
    cwd: repo,
    stdio: 'pipe',
  });
}

/** `file:line:col: severity code` of each problem line, without the messages. */
function located(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^\S+:\d+:\d+: /.test(line))
    .map((line) => line.split(': ').slice(0, 2).join(': '));
}

describe('alertbook check', () => {
  it('passes the good fixtures: exit 0, only the summary', async () => {
    const run = await alertbook(['check', GOOD]);
    expect(run).toEqual({ code: 0, stdout: 'checked 5 runbooks, 4 rules: 0 errors, 0 warnings\n', stderr: '' });
  });

  it('reports every problem of the bad fixtures at its position, exit 1', async () => {
    const run = await alertbook(['check', BAD]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(located(run.stdout)).toEqual([
      `${BAD}/cells.md:13:81: error promql-syntax`,
      `${BAD}/cells.md:17:1: error placeholder-outside-string`,
      `${BAD}/cells.md:17:1: warning unknown-label`,
      `${BAD}/cells.md:20:1: error too-many-points`,
      `${BAD}/cells.md:25:39: warning unknown-annotation`,
      `${BAD}/cells.md:25:73: warning unknown-label`,
      `${BAD}/dup-b.md:2:1: error duplicate-runbook-id`,
      `${BAD}/dup-b.md:5:1: error ambiguous-runbook`,
      `${BAD}/frontmatter.md:1:1: warning missing-section`,
      `${BAD}/frontmatter.md:3:1: error ambiguous-runbook`,
      `${BAD}/frontmatter.md:4:1: error frontmatter-unknown-key`,
      `${BAD}/orphan.md:3:1: warning orphan-runbook`,
      `${BAD}/orphan.md:3:1: warning orphan-runbook`,
      `${BAD}/orphan.md:5:1: error invalid-match-regex`,
      `${BAD}/rules/disk.yaml:4:9: error runbook-url-unresolved`,
      `${BAD}/rules/disk.yaml:12:9: error missing-runbook`,
      `${BAD}/rules/disk.yaml:14:9: warning duplicate-rule`,
      `${BAD}/rules/disk.yaml:14:9: error missing-runbook`,
      `${BAD}/rules/disk.yaml:20:9: error missing-runbook`,
      `${BAD}/rules/disk.yaml:21:59: error promql-syntax`,
      `${BAD}/rules/disk.yaml:22:14: error invalid-duration`,
      `${BAD}/rules/disk.yaml:25:9: error invalid-field`,
    ]);
    expect(run.stdout).toContain(
      `${BAD}/dup-b.md:5:1: error ambiguous-runbook: alert DiskFull is claimed by both ${BAD}/dup-a.md and ${BAD}/dup-b.md`,
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('checked 5 runbooks, 6 rules: 15 errors, 7 warnings');
  });

  it('checks the shared rule files given with --rules: kube-prometheus alerts lack runbooks, *.bad.yaml are refused', async () => {
    const run = await alertbook([
      'check',
      GOOD,
      '--rules',
      'test/fixtures/rules/kube-prometheus_*-prometheusRule.yaml',
      '--rules',
      'test/fixtures/rules/*.bad.yaml',
    ]);
    expect(run.code).toBe(1);
    const problems = located(run.stdout);
    const crdProblems = problems.filter((line) => line.includes('-prometheusRule.yaml'));
    expect(crdProblems).toHaveLength(9 + 4 + 26 + 5);
    // kube-prometheus' TargetDown finds target-down.md by its name, but its runbook_url still points elsewhere;
    // five Alertmanager descriptions read $labels.job from series aggregated without it.
    expect(crdProblems.filter((line) => !line.endsWith('error missing-runbook'))).toEqual([
      'test/fixtures/rules/kube-prometheus_alertmanager-prometheusRule.yaml:61:128: warning template-unknown-label',
      'test/fixtures/rules/kube-prometheus_alertmanager-prometheusRule.yaml:76:128: warning template-unknown-label',
      'test/fixtures/rules/kube-prometheus_alertmanager-prometheusRule.yaml:91:65: warning template-unknown-label',
      'test/fixtures/rules/kube-prometheus_alertmanager-prometheusRule.yaml:104:103: warning template-unknown-label',
      'test/fixtures/rules/kube-prometheus_alertmanager-prometheusRule.yaml:123:103: warning template-unknown-label',
      'test/fixtures/rules/kube-prometheus_kubePrometheus-prometheusRule.yaml:16:7: error runbook-url-unresolved',
    ]);
    expect(problems.filter((line) => line.includes('.bad.yaml'))).toEqual([
      'test/fixtures/rules/prometheus_rulefmt_bad_expr.bad.yaml:5:20: error promql-type',
      'test/fixtures/rules/prometheus_rulefmt_bad_field.bad.yaml:4:9: error missing-runbook',
      'test/fixtures/rules/prometheus_rulefmt_bad_field.bad.yaml:8:9: error unknown-field',
      'test/fixtures/rules/prometheus_rulefmt_record_and_for.bad.yaml:6:9: error invalid-field',
    ]);
    // The good fixtures' runbooks lost their rules: orphan warnings, not errors. And kube-prometheus'
    // TargetDown aggregates `by (cluster, job, namespace, service)`: no `instance` for target-down.md.
    expect(problems.filter((line) => line.startsWith(GOOD))).toEqual([
      `${GOOD}/api-errors.md:4:1: warning orphan-runbook`,
      `${GOOD}/latency.md:3:1: warning orphan-runbook`,
      `${GOOD}/payments/latency.md:3:1: warning orphan-runbook`,
      `${GOOD}/target-down.md:19:39: warning unknown-label`,
    ]);
  });

  it('defaults to ./runbooks and its rules folder', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'alertbook-check-'));
    try {
      cpSync(join(REPO, GOOD), join(cwd, 'runbooks'), { recursive: true });
      expect(await alertbook(['check'], cwd)).toEqual({
        code: 0,
        stdout: 'checked 5 runbooks, 4 rules: 0 errors, 0 warnings\n',
        stderr: '',
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('notes on stderr when no rule file matches, and skips the cross-checks', async () => {
    const run = await alertbook(['check', GOOD, '--rules', 'nothing/*.yaml']);
    expect(run).toEqual({
      code: 0,
      stdout: 'checked 5 runbooks, 0 rules: 0 errors, 0 warnings\n',
      stderr: 'note: no rule files match nothing/*.yaml; rules and runbooks were not cross-checked\n',
    });
  });

  describe('formats', () => {
    it('json: one document with the same counts', async () => {
      const run = await alertbook(['check', BAD, '--format', 'json']);
      expect(run.code).toBe(1);
      const document = JSON.parse(run.stdout) as { summary: unknown; problems: unknown[] };
      expect(document.summary).toEqual({ runbooks: 5, rules: 6, errors: 15, warnings: 7 });
      expect(document.problems[0]).toEqual({
        file: `${BAD}/cells.md`,
        line: 13,
        column: 81,
        severity: 'error',
        code: 'promql-syntax',
        message: 'unexpected end of query',
      });
    });

    it('github: one annotation per problem', async () => {
      const run = await alertbook(['check', BAD, '--format', 'github']);
      expect(run.code).toBe(1);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines.filter((line) => line.startsWith('::error '))).toHaveLength(15);
      expect(lines.filter((line) => line.startsWith('::warning '))).toHaveLength(7);
      expect(lines[0]).toBe(`::error file=${BAD}/cells.md,line=13,col=81,title=promql-syntax::unexpected end of query`);
    });

    it('markdown: a pull-request comment', async () => {
      const run = await alertbook(['check', GOOD, '--format', 'markdown']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('### Alertbook check: ✅ passed');
      expect(run.stdout).toContain('| API error ratio high (`api-errors`) | 2 | 2 | none |');
    });
  });

  describe('usage errors exit 2 with the reason on stderr', () => {
    it.each([
      [
        ['check', '--format', 'xml'],
        'alertbook check: --format must be one of text, json, github, markdown, not "xml"',
      ],
      [['check', '--nope'], "alertbook check: Unknown option '--nope'"],
      [['check', 'a', 'b'], 'alertbook check: expected at most one directory, got 2: a b'],
      [['check', 'missing-dir'], 'alertbook check: runbooks directory not found: missing-dir'],
      [
        ['check', `${BAD}/rules/disk.yaml`],
        `alertbook check: ${BAD}/rules/disk.yaml is a file, not a runbooks directory; rule files go after --rules: alertbook check --rules ${BAD}/rules/disk.yaml`,
      ],
      [
        ['check', GOOD, '--prometheus', 'localhost:9090'],
        'alertbook check: --prometheus must be an http(s) URL, not "localhost:9090"',
      ],
      [['frobnicate'], 'alertbook: unknown command "frobnicate"'],
    ])('%j', async (args, message) => {
      const run = await alertbook(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toContain(message);
    });

    it('prints help on stdout with exit 0', async () => {
      const run = await alertbook(['check', '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^usage: alertbook check \[dir\]/);
    });
  });
});

describe('alertbook check --prometheus', () => {
  let server: Server;
  let url: string;
  const queries: string[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      // Short queries arrive as GET parameters, long ones as a form body.
      const query =
        new URL(request.url ?? '/', 'http://x').searchParams.get('query') ??
        new URLSearchParams(body).get('query') ??
        '';
      queries.push(query);
      response.setHeader('content-type', 'application/json');
      if (query.includes('http_request_duration_seconds_bucket{service="service"}')) {
        response.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      } else if (query.startsWith('up{')) {
        response.statusCode = 422;
        response.end('{"status":"error","errorType":"execution","error":"boom"}');
      } else {
        response.end('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('evaluates every cell with its rule labels: rejected → error, empty → warning', async () => {
    const run = await alertbook(['check', GOOD, '--prometheus', url]);
    expect(run.code).toBe(1);
    expect(located(run.stdout)).toEqual([
      `${GOOD}/latency.md:16:1: warning empty-result`,
      `${GOOD}/payments/latency.md:18:1: warning empty-result`,
      `${GOOD}/target-down.md:18:1: error query-failed`,
    ]);
    expect(run.stdout).toContain(
      'error query-failed: cell "targets-down": Prometheus rejected the query: execution (HTTP 422): boom',
    );
    // Static labels of the served rule where there are some, the label's own name otherwise.
    expect(queries).toContain('up{job="job", instance="instance"} == 0');
    expect(queries.filter((query) => query.includes('http_requests_total{job="job"'))).toHaveLength(2);
  });

  it('stops with exit 2 when Prometheus cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await alertbook(['check', GOOD, '--prometheus', closedUrl]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `alertbook check: cannot reach Prometheus at ${closedUrl}: connect ECONNREFUSED ${closedUrl.slice('http://'.length)}\n`,
    );
  });
});

describe('alertbook check --changed-since', () => {
  let repo: string;
  const git = (...args: string[]) => gitIn(repo, args);

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'alertbook-git-'));
    git('init', '-q', '-b', 'main');
    cpSync(join(REPO, GOOD), join(repo, 'runbooks'), { recursive: true });
    git('add', '.');
    git('commit', '-q', '-m', 'runbooks');
    writeFileSync(
      join(repo, 'runbooks/new.md'),
      '---\ntitle: New one\nalerts: []\n---\n## Meaning\n## Impact\n## Diagnosis\n## Mitigation\n',
    );
    git('mv', 'runbooks/escalation.md', 'runbooks/escalate.md');
    git('rm', '-q', 'runbooks/target-down.md');
    writeFileSync(join(repo, 'runbooks/rules/api.yml'), '# emptied\ngroups: []\n');
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('lists added, renamed and deleted runbooks since the ref in the markdown comment', async () => {
    const run = await alertbook(['check', '--format', 'markdown', '--changed-since', 'main'], repo);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      [
        '| Change | Runbook | Cells | Steps | Problems |',
        '|---|---|---|---|---|',
        '| renamed from `escalation.md` | How to escalate (`general/escalation`) | 0 | 1 | none |',
        '| deleted | `target-down.md` | – | – | – |',
        '| added | New one (`new`) | 0 | 0 | none |',
      ].join('\n'),
    );
  });

  it('fails with exit 2 on an unknown ref, and refuses refs that look like options', async () => {
    expect(await alertbook(['check', '--changed-since', 'no-such-ref'], repo)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'alertbook check: --changed-since: "no-such-ref" is not a commit, branch or tag of this repository\n',
    });
    const option = await alertbook(['check', '--changed-since=--output=/tmp/x'], repo);
    expect(option).toMatchObject({ code: 2, stdout: '' });
    expect(option.stderr).toContain('not a git ref: --output=/tmp/x');
  });
});

describe('alertbook check --changed-since: script permissions for the reviewer', () => {
  let repo: string;
  const git = (...args: string[]) => gitIn(repo, args);
  const runbook = (title: string, permissions: string) =>
    `---\ntitle: ${title}\nalerts: []\npermissions: ${permissions}\n---\n## Meaning\n## Impact\n## Diagnosis\n\n\`\`\`ts\nconsole.log(incident.title);\n\`\`\`\n\n## Mitigation\n`;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'alertbook-git-permissions-'));
    git('init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'runbooks'));
    writeFileSync(
      join(repo, 'runbooks/deploys.md'),
      runbook('Deploys', '{net: ["api.github.com:443"], read: ["data/routes.json"]}'),
    );
    writeFileSync(join(repo, 'runbooks/steady.md'), runbook('Steady', '{env: [REGION]}'));
    git('add', '.');
    git('commit', '-q', '-m', 'runbooks');
    writeFileSync(
      join(repo, 'runbooks/deploys.md'),
      runbook('Deploys', '{net: ["api.github.com"], env: [GITHUB_TOKEN], read: ["data/routes.json"]}'),
    );
    writeFileSync(join(repo, 'runbooks/status.md'), runbook('Status', '{net: ["status.example.com:443"]}'));
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('calls out added and widened grants first, then lists every runbook’s permissions', async () => {
    const run = await alertbook(['check', 'runbooks', '--format', 'markdown', '--changed-since', 'main'], repo);
    expect(run.stderr).toBe(
      'note: no rule files match runbooks/rules/**/*.{yml,yaml}; rules and runbooks were not cross-checked\n',
    );
    const changed = [
      '#### ⚠️ Script permissions added or widened since `main`',
      '',
      '| Runbook | Kind | Grant | Change |',
      '|---|---|---|---|',
      '| Deploys (`deploys`) | net | `api.github.com` | widened from `api.github.com:443` |',
      '| Deploys (`deploys`) | env | `GITHUB_TOKEN` | added |',
      '| Status (`status`) | net | `status.example.com:443` | added |',
    ].join('\n');
    expect(run.stdout).toContain(changed);
    const all = [
      '| Runbook | Script cells | net | env | read |',
      '|---|---|---|---|---|',
      '| Deploys (`deploys`) | 1 | `api.github.com` | `GITHUB_TOKEN` | `data/routes.json` |',
      '| Status (`status`) | 1 | `status.example.com:443` | – | – |',
      '| Steady (`steady`) | 1 | – | `REGION` | – |',
    ].join('\n');
    expect(run.stdout).toContain(all);
    expect(run.stdout.indexOf(changed)).toBeLessThan(run.stdout.indexOf(all));
  });
});

describe('alertbook check from anywhere in a repository', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'alertbook-paths-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names files relative to the repository root, wherever it runs', async () => {
    const repo = join(root, 'repo');
    cpSync(join(REPO, BAD), join(repo, 'ops/runbooks'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const run = await alertbook(['check', '.'], join(repo, 'ops/runbooks'));
    expect(located(run.stdout)[0]).toBe('ops/runbooks/cells.md:13:81: error promql-syntax');
    expect(located(run.stdout)).toContain('ops/runbooks/rules/disk.yaml:21:59: error promql-syntax');
  });

  it('says plainly that --changed-since needs a git work tree', async () => {
    const plain = join(root, 'plain');
    cpSync(join(REPO, GOOD), join(plain, 'runbooks'), { recursive: true });
    const run = await alertbook(['check', '--changed-since', 'main'], plain);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `alertbook check: --changed-since compares with a git ref, but ${join(plain, 'runbooks')} is not inside a git work tree\n`,
    });
  });
});
