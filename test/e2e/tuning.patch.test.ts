import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../src/domain/rules/parse-rule-file.js';
import { extractThresholds } from '../../src/domain/tuning/extract-thresholds.js';
import { currentDefinition, patchRuleFile, type RuleChange } from '../../src/domain/tuning/patch-rule-file.js';
import { alertingRuleNodes } from '../../src/domain/tuning/rule-file-nodes.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

const RULE_FILES = [
  ...readdirSync(`${root}test/fixtures/rules`)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.bad.yaml'))
    .map((f) => `test/fixtures/rules/${f}`),
  ...readdirSync(`${root}runbooks/rules`).map((f) => `runbooks/rules/${f}`),
].filter((file) =>
  parseRuleFile({ path: file, content: readFileSync(`${root}${file}`, 'utf8') }).rules.some((r) => r.kind === 'alert'),
);

/** Every patchable threshold doubled (or 0 → 1), `for` raised by 5m and `keep_firing_for` by 2m, added where absent. */
function everyFieldChanged(expr: string, forSeconds: number, keepFiringForSeconds: number): RuleChange {
  const threshold = extractThresholds(expr).thresholds.find((t) => t.patchable);
  return {
    forSeconds: forSeconds + 300,
    keepFiringForSeconds: keepFiringForSeconds + 120,
    ...(threshold
      ? { thresholdIndex: threshold.index, threshold: threshold.value === 0 ? 1 : threshold.value * 2 }
      : {}),
  };
}

/** promtool reads plain rule files: a PrometheusRule manifest's `spec` is one. */
function asPlainRuleFile(content: string): string {
  const resource = parseAllDocuments(content)
    .map((d) => d.toJS() as { kind?: string; spec?: unknown })
    .find((d) => d?.kind === 'PrometheusRule');
  return resource ? stringify(resource.spec) : content;
}

describe('rule-file patches with git apply and promtool', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'alertbook-patch-'));
    await run('git', ['init', '-q'], { cwd: repo });
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it.each(RULE_FILES)(
    '%s: every rule patched in turn; each diff applies, the result passes promtool check rules',
    async (file) => {
      let content = readFileSync(`${root}${file}`, 'utf8');
      const rules = alertingRuleNodes(content);
      expect(rules.length).toBeGreaterThan(0);
      for (const { line } of rules) {
        // Re-read the rule from the file as patched so far: earlier additions moved it.
        const index = rules.findIndex((r) => r.line === line);
        const rule = alertingRuleNodes(content)[index]!;
        const base = currentDefinition(rule);
        const outcome = patchRuleFile(
          { path: file, content },
          { group: rule.group, alert: rule.alert, base, line: rule.line },
          everyFieldChanged(base.expr, base.forSeconds, base.keepFiringForSeconds),
        );
        expect(outcome.kind).toBe('patched');
        if (outcome.kind !== 'patched') return;
        await mkdir(dirname(join(repo, file)), { recursive: true });
        await writeFile(join(repo, file), content);
        await writeFile(join(repo, 'change.diff'), outcome.diff);
        await run('git', ['apply', '--check', 'change.diff'], { cwd: repo });
        await run('git', ['apply', 'change.diff'], { cwd: repo });
        expect(readFileSync(join(repo, file), 'utf8')).toBe(outcome.content);
        content = outcome.content;
      }
      // --lint=none: Prometheus' rulefmt test file repeats a rule on purpose, which the duplicate lint flags before any patch.
      await writeFile(join(repo, 'patched.yaml'), asPlainRuleFile(content));
      const { stdout } = await run(
        process.env.PROMTOOL_BIN ?? 'promtool',
        ['check', 'rules', '--lint=none', 'patched.yaml'],
        { cwd: repo },
      );
      expect(stdout).toContain('SUCCESS');
    },
  );
});
