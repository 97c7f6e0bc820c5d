import type { ParsedRule } from '../rules/parse-rule-file.js';
import type { CheckProblem } from './check-problem.js';
import { staticAlertLabels, type LocatedRunbook } from './check-subjects.js';
import type { RuleLinks } from './rule-links.js';

/**
 * `{{ $labels.x }}` and `{{ $annotations.x }}` in cells that no alert served by
 * the runbook can fill: the cell would fail to render during an incident. A
 * label may come from the rule (static labels, alertname) or from its
 * expression (approximated, see outputLabelNames); when the expression's labels
 * cannot be told, nothing is reported.
 */
export function checkTemplateLabels(runbooks: readonly LocatedRunbook[], links: RuleLinks): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const { file, runbook } of runbooks) {
    const rules = (links.rulesOf.get(runbook.id) ?? []).map(({ rule }) => rule);
    if (rules.length === 0) continue;
    const labelSets = rules.map(possibleLabels);
    const labelsKnown = labelSets.every((set) => set !== null);
    const alerts = [...new Set(rules.map((rule) => rule.name))].join(', ');

    for (const cell of runbook.cells) {
      for (const placeholder of cell.placeholders) {
        const name = placeholder.name ?? '';
        const at = { file, line: placeholder.line, column: placeholder.column, severity: 'warning' as const };
        if (placeholder.kind === 'labels' && labelsKnown && !labelSets.some((set) => set?.has(name))) {
          const known = [...new Set(labelSets.flatMap((set) => [...(set ?? [])]))].sort().join(', ');
          problems.push({
            ...at,
            code: 'unknown-label',
            message: `{{ $labels.${name} }}: alert ${alerts} cannot carry label "${name}" (it has: ${known})`,
          });
        } else if (placeholder.kind === 'annotations' && !rules.some((rule) => Object.hasOwn(rule.annotations, name))) {
          problems.push({
            ...at,
            code: 'unknown-annotation',
            message: `{{ $annotations.${name} }}: alert ${alerts} has no annotation "${name}"`,
          });
        }
      }
    }
  }
  return problems;
}

/** Every label an alert of the rule may carry: static ones, its name, and the expression's; null when unknown. */
function possibleLabels(rule: ParsedRule): ReadonlySet<string> | null {
  return rule.outputLabels && new Set([...Object.keys(staticAlertLabels(rule)), ...rule.outputLabels]);
}
