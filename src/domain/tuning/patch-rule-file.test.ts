import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRuleFile, type ParsedRule } from '../rules/parse-rule-file.js';
import { extractThresholds } from './extract-thresholds.js';
import { formatThreshold } from './format-duration.js';
import { currentDefinition, patchRuleFile, type RuleChange } from './patch-rule-file.js';
import { alertingRuleNodes } from './rule-file-nodes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Every rule file of the fixtures and the shipped rules that Prometheus would load. */
const RULE_FILES = [
  ...readdirSync(`${root}test/fixtures/rules`)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.bad.yaml'))
    .map((f) => `test/fixtures/rules/${f}`),
  ...readdirSync(`${root}runbooks/rules`).map((f) => `runbooks/rules/${f}`),
].filter((file) =>
  parseRuleFile({ path: file, content: readFileSync(`${root}${file}`, 'utf8') }).rules.some((r) => r.kind === 'alert'),
);

/** A change touching every field the patch may touch: each patchable threshold doubled, `for` and `keep_firing_for` raised or added. */
function everyFieldChanged(expr: string, forSeconds: number, keepFiringForSeconds: number, thresholdIndex: number) {
  const threshold = extractThresholds(expr).thresholds[thresholdIndex];
  const change: RuleChange = { forSeconds: forSeconds + 300, keepFiringForSeconds: keepFiringForSeconds + 120 };
  if (threshold?.patchable)
    Object.assign(change, { thresholdIndex, threshold: threshold.value === 0 ? 1 : threshold.value * 2 });
  return change;
}

/** The expression with threshold `index` rewritten, computed from the expression alone. */
function exprWithThreshold(expr: string, index: number, value: number): string {
  const threshold = extractThresholds(expr).thresholds[index]!;
  return expr.slice(0, threshold.span.from) + formatThreshold(value) + expr.slice(threshold.span.to);
}

// Thresholds are read from the expression, which is compared itself.
const withoutPositions = ({ position: _p, exprPosition: _e, thresholds: _t, ...rule }: ParsedRule) => rule;

describe('patchRuleFile round-trips over every rule of the fixtures', () => {
  const cases = RULE_FILES.flatMap((file) => {
    const content = readFileSync(`${root}${file}`, 'utf8');
    return alertingRuleNodes(content).flatMap((rule) => {
      const count = Math.max(1, extractThresholds(String(rule.expr.value)).thresholds.length);
      return Array.from({ length: count }, (_, thresholdIndex) => ({
        file,
        content,
        rule,
        thresholdIndex,
        name: `${file}:${rule.line} ${rule.alert} #${thresholdIndex}`,
      }));
    });
  });

  it('covers every alerting rule of the fixtures', () => {
    expect(new Set(cases.map((c) => `${c.file}:${c.rule.line}`)).size).toBeGreaterThanOrEqual(80);
  });

  it.each(cases)('$name', ({ file, content, rule, thresholdIndex }) => {
    const base = currentDefinition(rule);
    const change = everyFieldChanged(base.expr, base.forSeconds, base.keepFiringForSeconds, thresholdIndex);
    const outcome = patchRuleFile(
      { path: file, content },
      { group: rule.group, alert: rule.alert, base, line: rule.line },
      change,
    );
    expect(outcome.kind).toBe('patched');
    if (outcome.kind !== 'patched') return;

    const before = parseRuleFile({ path: file, content });
    const after = parseRuleFile({ path: file, content: outcome.content });
    // The fixtures' own template warnings stay as they were; the patch adds no problem.
    expect(after.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(after.problems.map(({ code }) => code)).toEqual(before.problems.map(({ code }) => code));
    const index = before.rules.findIndex((r) => r.position.line === rule.line);
    const expected = {
      ...withoutPositions(before.rules[index]!),
      expr: change.threshold === undefined ? base.expr : exprWithThreshold(base.expr, thresholdIndex, change.threshold),
      forSeconds: change.forSeconds,
      keepFiringForSeconds: change.keepFiringForSeconds,
    };
    // The target holds the to-values; every other rule is read exactly as before.
    expect(after.rules.map(withoutPositions)).toEqual(
      before.rules.map((r, i) => (i === index ? expected : withoutPositions(r))),
    );

    // Only the lines holding the literal and the durations change; added lines are the added keys.
    const removed = outcome.diff.split('\n').filter((line) => line.startsWith('-') && !line.startsWith('---'));
    const added = outcome.diff.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++'));
    const insertedKeys = Number(!rule.for) + Number(!rule.keepFiringFor);
    expect(added.length).toBe(removed.length + insertedKeys);
    expect(removed.length).toBeLessThanOrEqual(
      Number(change.threshold !== undefined) + Number(!!rule.for) + Number(!!rule.keepFiringFor),
    );
  });
});

const FILE = `# top comment
groups:
  - name: g
    interval: 30s
    rules:
      # why this alert exists
      - alert: Slow
        expr: >-
          histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))
          > 0.5
        labels: {severity: warning}  # flow style kept
      - alert: Errors
        expr: "rate(errors[5m]) > 0.05"
        for: '10m'
        keep_firing_for: 5m
`;

describe('patchRuleFile', () => {
  const target = (alert: string) => {
    const rule = alertingRuleNodes(FILE).find((r) => r.alert === alert)!;
    return { group: 'g', alert, base: currentDefinition(rule) };
  };

  it('changes the literal in a folded block scalar and adds for under the expression', () => {
    const outcome = patchRuleFile({ path: 'rules.yaml', content: FILE }, target('Slow'), {
      threshold: 0.8,
      forSeconds: 600,
    });
    expect(outcome.kind === 'patched' && outcome.diff).toBe(`--- a/rules.yaml
+++ b/rules.yaml
@@ -7,7 +7,8 @@
       - alert: Slow
         expr: >-
           histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))
-          > 0.5
+          > 0.8
+        for: 10m
         labels: {severity: warning}  # flow style kept
       - alert: Errors
         expr: "rate(errors[5m]) > 0.05"
`);
  });

  it('keeps the quoting of a quoted expression and of a quoted duration', () => {
    const outcome = patchRuleFile({ path: 'rules.yaml', content: FILE }, target('Errors'), {
      threshold: 0.1,
      forSeconds: 900,
      keepFiringForSeconds: 0,
    });
    expect(outcome.kind === 'patched' && outcome.content.split('\n').slice(12, 15)).toEqual([
      '        expr: "rate(errors[5m]) > 0.1"',
      "        for: '15m'",
      '        keep_firing_for: 0s',
    ]);
  });

  it('replaces a whole expression in the style it was written in', () => {
    const outcome = patchRuleFile({ path: 'rules.yaml', content: FILE }, target('Slow'), {
      expr: 'max(x) by (job)\n> 2',
    });
    expect(outcome.kind === 'patched' && outcome.content.split('\n').slice(7, 12)).toEqual([
      '        expr: >-',
      '          max(x) by (job)',
      '',
      '          > 2',
      '        labels: {severity: warning}  # flow style kept',
    ]);
    expect(outcome.kind === 'patched' && parseRuleFile({ path: '', content: outcome.content }).rules[0]?.expr).toBe(
      'max(x) by (job)\n> 2',
    );
  });

  it('re-bases onto a rule that changed elsewhere since the decision', () => {
    const changed = FILE.replace("for: '10m'", "for: '20m'");
    const outcome = patchRuleFile({ path: 'rules.yaml', content: changed }, target('Errors'), { threshold: 0.1 });
    expect(outcome).toMatchObject({ kind: 'patched', rebased: true });
    expect(outcome.kind === 'patched' && outcome.content).toContain('> 0.1"');
  });

  it('refuses when the field it changes holds another value than the decision was made against', () => {
    const changed = FILE.replace('> 0.05', '> 0.07');
    const outcome = patchRuleFile({ path: 'rules.yaml', content: changed }, target('Errors'), { threshold: 0.1 });
    expect(outcome).toEqual({
      kind: 'conflict',
      reason: 'threshold 0 is 0.07 now, the decision was made against 0.05',
    });
    const forChanged = FILE.replace("for: '10m'", "for: '20m'");
    expect(
      patchRuleFile({ path: 'rules.yaml', content: forChanged }, target('Errors'), { forSeconds: 900 }),
    ).toMatchObject({ kind: 'conflict' });
  });

  it('says unchanged when the file already holds the to-values', () => {
    expect(
      patchRuleFile({ path: 'rules.yaml', content: FILE }, target('Errors'), { threshold: 0.05, forSeconds: 600 }),
    ).toEqual({ kind: 'unchanged' });
  });

  it('does not patch literal arithmetic', () => {
    const content = 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 0.5 * 2\n';
    const outcome = patchRuleFile({ path: 'r.yaml', content }, { group: 'g', alert: 'A' }, { threshold: 3 });
    expect(outcome).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('arithmetic') });
  });

  it('says which rule it could not find', () => {
    expect(patchRuleFile({ path: 'r.yaml', content: FILE }, { group: 'g', alert: 'Nope' }, { threshold: 1 })).toEqual({
      kind: 'conflict',
      reason: 'no alerting rule "Nope" in group "g" matches',
    });
  });
});
