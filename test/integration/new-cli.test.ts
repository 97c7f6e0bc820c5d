import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertbook } from '../support/cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function alertbook(args: string[], cwd: string) {
  return runAlertbook(args, { cwd });
}

// Every rule file of the fixtures that Prometheus loads, and the shipped one.
const RULE_FILES = [
  ...readdirSync(join(REPO, 'test/fixtures/rules'))
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.bad.yaml'))
    .map((name) => join(REPO, 'test/fixtures/rules', name)),
  ...readdirSync(join(REPO, 'runbooks/rules')).map((name) => join(REPO, 'runbooks/rules', name)),
];

describe('alertbook new', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'alertbook-new-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(RULE_FILES.map((path) => [path.slice(REPO.length), path]))(
    '--all-missing over %s writes runbooks that pass check',
    async (_name, path) => {
      const cwd = mkdtempSync(join(root, 'all-'));
      mkdirSync(join(cwd, 'runbooks/rules'), { recursive: true });
      cpSync(path, join(cwd, 'runbooks/rules/rules.yaml'));
      const written = await alertbook(['new', '--all-missing'], cwd);
      expect(written.stderr).toBe('');
      expect(written.code).toBe(0);
      const check = await alertbook(['check'], cwd);
      // The rule files' own warnings (duplicates, templates) stay; the runbooks add no problem, and cover every alert.
      const runbookProblems = check.stdout.split('\n').filter((line) => /^runbooks\/(?!rules\/)/.test(line));
      expect(runbookProblems).toEqual([]);
      expect(check.stdout).not.toMatch(/: error /);
      expect(check.code).toBe(0);
    },
  );

  it('writes one alert by name where its runbook_url points, and never overwrites', async () => {
    const cwd = mkdtempSync(join(root, 'one-'));
    cpSync(join(REPO, 'runbooks/rules'), join(cwd, 'rules'), { recursive: true });
    mkdirSync(join(cwd, 'ops'));
    const first = await alertbook(['new', 'ApiHighErrorRate', 'ops', '--rules', 'rules/*.yaml'], cwd);
    expect(first).toEqual({ code: 0, stdout: 'wrote ops/api-error-rate.md for ApiHighErrorRate\n', stderr: '' });
    const content = readFileSync(join(cwd, 'ops/api-error-rate.md'), 'utf8');
    expect(content).toMatch(/^---\nid: api-error-rate\ntitle: .+\nalerts: \["ApiHighErrorRate"\]\n---\n/);
    const again = await alertbook(['new', 'ApiHighErrorRate', 'ops', '--rules', 'rules/*.yaml'], cwd);
    expect(again).toEqual({
      code: 2,
      stdout: '',
      stderr: 'alertbook new: ops/api-error-rate.md exists; not overwritten\n',
    });
    expect(readFileSync(join(cwd, 'ops/api-error-rate.md'), 'utf8')).toBe(content);
  });

  it('names what is wrong: an unknown alert, no alert at all', async () => {
    const unknown = await alertbook(['new', 'NoSuchAlert', '--rules', 'runbooks/rules/*.yaml'], REPO);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('alertbook new: no alerting rule named NoSuchAlert in the rule files (2 read)\n');
    const none = await alertbook(['new'], REPO);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe('alertbook new: name the alert, or pass --all-missing');
  });
});
