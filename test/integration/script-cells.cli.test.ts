import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { runAlertbook, type CliRun } from '../support/alertbook-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'alertbook-run-'));
let prometheus: FakePrometheus;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'owners.json'), '{"api":"team-api"}');
  writeFileSync(
    join(dir, 'api.md'),
    `---
title: API errors
alerts: [HighErrorRate]
permissions:
  read: [data/owners.json]
  env: [REGION]
---
\`\`\`ts id=owners title="Who owns it"
const owners = JSON.parse(Deno.readTextFileSync(new URL('./data/owners.json', 'file://${dir}/')));
const up = await query('up{job="' + alert.labels.job + '"}');
show.table(up.series.map((s) => ({ job: alert.labels.job, owner: owners[alert.labels.job] })));
console.log('region', Deno.env.get('REGION'));
\`\`\`

\`\`\`ts id=escape
Deno.readTextFileSync('/etc/passwd');
\`\`\`
`,
  );
  writeFileSync(
    join(dir, 'refused.md'),
    '---\ntitle: Refused\nalerts: []\npermissions: {write: ["."]}\n---\n```ts\n1;\n```\n',
  );
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await prometheus.close();
});

function alertbook(args: string[]): Promise<CliRun> {
  return runAlertbook(args, { cwd: dir, env: { ...process.env, REGION: 'eu-west-1' } });
}

describe('alertbook check on script cells', () => {
  it('reports refused permissions and type errors against the cell API, on their runbook lines', async () => {
    writeFileSync(join(dir, 'typo.md'), '---\ntitle: Typo\nalerts: []\n---\n```ts id=typo\nshow.tabel([]);\n```\n');
    const run = await alertbook(['check', '.', '--format', 'text']);
    rmSync(join(dir, 'typo.md'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/refused\.md:4:\d+: error refused-permission/);
    expect(run.stdout).toMatch(
      /typo\.md:6:6: error script-type-error: cell "typo": TS2551: Property 'tabel' does not exist/,
    );
    expect(run.stdout).not.toMatch(/api\.md:\d+:\d+: error/);
  }, 90_000);
});

describe('alertbook run', () => {
  it("runs a cell with the runbook's permissions and the given labels, printing a text table", async () => {
    const run = await alertbook([
      'run',
      'api.md',
      '--cell',
      'owners',
      '--label',
      'job=api',
      '--prometheus',
      prometheus.url,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('▶ owners — Who owns it (line 8)\njob  owner\n---  --------\napi  team-api\n');
    expect(run.stdout).toContain('region eu-west-1\n');
    expect(prometheus.requests.at(-1)?.params.query).toBe('up{job="api"}');
  });

  it("fails with Deno's message when a cell reaches beyond its permissions", async () => {
    const run = await alertbook(['run', 'api.md', '--cell', 'escape', '--prometheus', prometheus.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ escape: .*Requires read access to "\/etc\/passwd"/);
  });

  it('refuses a runbook whose permissions are refused, running nothing', async () => {
    const run = await alertbook(['run', 'refused.md']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/disabled: frontmatter: permissions\.write is refused/);
  });

  it('names the script cells when --cell names none of them', async () => {
    const run = await alertbook(['run', 'api.md', '--cell', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no script cell "nope" in api.md (script cells: owners, escape)');
  });
});
