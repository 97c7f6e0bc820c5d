import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BROKEN = 'test/fixtures/check/broken-rules';
/** The cross-checks against runbooks: ours alone, and every rule lacks a runbook in an empty directory. */
const CROSS_CHECKS = new Set(['missing-runbook', 'runbook-url-unresolved']);

interface Problem {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
}

/** Where each broken file's defect is: the first error `check` must report, as line:column code. */
const DEFECTS: Record<string, string> = {
  'bad-annotation-name.yaml': '7:11 invalid-field',
  'bad-duration.yaml': '6:14 invalid-duration',
  'bad-label-name.yaml': '7:11 invalid-field',
  'bad-record-name.yaml': '4:17 invalid-field',
  'duplicate-group.yaml': '6:11 duplicate-group',
  'missing-alert-and-record.yaml': '4:9 missing-field',
  'missing-expr.yaml': '4:9 missing-field',
  'promql-range-vector.yaml': '5:34 promql-type',
  'promql-syntax.yaml': '5:48 promql-syntax',
  'record-with-annotations.yaml': '6:9 invalid-field',
  'template-unclosed-action.yaml': '7:21 template-syntax',
  'template-unclosed-if.yaml': '8:16 template-syntax',
  'template-undefined-variable.yaml': '7:25 template-syntax',
  'template-unknown-function.yaml': '7:42 template-syntax',
  'unknown-field.yaml': '6:9 unknown-field',
  'yaml-syntax.yaml': '6:1 yaml-syntax',
};

function yamlFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `${dir}/${name}`);
}

// Prometheus rule files only: Kubernetes manifests (PrometheusRule and the like) are not promtool's to read.
const RULE_FILES = [
  ...yamlFiles('test/fixtures/rules'),
  ...yamlFiles('runbooks/rules'),
  ...yamlFiles('test/fixtures/check/good/rules'),
  ...yamlFiles('test/fixtures/check/bad/rules'),
  ...yamlFiles(BROKEN),
].filter((path) => !/^kind:/m.test(readFileSync(join(REPO, path), 'utf8')));

const emptyRunbooks = mkdtempSync(join(tmpdir(), 'alertbook-differential-'));
afterAll(() => rmSync(emptyRunbooks, { recursive: true, force: true }));

async function promtoolAccepts(path: string): Promise<boolean> {
  return run('promtool', ['check', 'rules', path], { cwd: REPO }).then(
    () => true,
    () => false,
  );
}

async function checkErrors(path: string): Promise<Problem[]> {
  const { stdout } = await run(
    process.execPath,
    ['src/cli/bin.js', 'check', emptyRunbooks, '--rules', path, '--format', 'json'],
    { cwd: REPO },
  ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  const { problems } = JSON.parse(stdout) as { problems: Problem[] };
  return problems.filter((problem) => problem.severity === 'error' && !CROSS_CHECKS.has(problem.code));
}

describe('alertbook check against promtool check rules', () => {
  it('covers the whole broken corpus, one defect per file', () => {
    expect(yamlFiles(BROKEN).map((path) => path.slice(BROKEN.length + 1))).toEqual(Object.keys(DEFECTS).sort());
  });

  it.each(RULE_FILES)('%s: check rejects it if and only if promtool does, at line:column', async (path) => {
    const [accepted, errors] = await Promise.all([promtoolAccepts(path), checkErrors(path)]);
    if (accepted) {
      expect(errors).toEqual([]);
      return;
    }
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.file).toBe(path);
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.column).toBeGreaterThanOrEqual(1);
    }
    const defect = DEFECTS[path.slice(BROKEN.length + 1)];
    if (path.startsWith(BROKEN)) expect(`${errors[0]?.line}:${errors[0]?.column} ${errors[0]?.code}`).toBe(defect);
  });
});
