import type { CheckProblem } from './check-problem.js';
import type { LocatedRule } from './check-subjects.js';

/**
 * promtool's default lint: two rules with the same name and the same static
 * labels produce the same series, and Prometheus evaluates both. Checked across
 * every rule file, since Prometheus loads them all together.
 */
export function checkDuplicateRules(rules: readonly LocatedRule[]): CheckProblem[] {
  const first = new Map<string, LocatedRule>();
  const problems: CheckProblem[] = [];
  for (const located of rules) {
    const { rule } = located;
    const labels = Object.entries(rule.labels).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = JSON.stringify([rule.kind, rule.name, labels]);
    const original = first.get(key);
    if (!original) {
      first.set(key, located);
      continue;
    }
    problems.push({
      file: located.file,
      ...rule.position,
      severity: 'warning',
      code: 'duplicate-rule',
      message: `${rule.kind === 'alert' ? 'alert' : 'recording rule'} ${rule.name} with the same labels is already defined at ${original.file}:${original.rule.position.line}`,
    });
  }
  return problems;
}
