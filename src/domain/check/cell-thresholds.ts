import type { ParsedRule } from '../rules/parse-rule-file.js';
import { sameThresholdValue } from '../rules/same-threshold-value.js';
import type { CheckProblem } from './check-problem.js';
import type { LocatedRunbook } from './check-subjects.js';
import type { RuleLinks } from './rule-links.js';

/**
 * A cell's `threshold=` that none of the alerts it charts uses: the line on the
 * chart then lies about when the alert fires (1.7 GB drawn, 50 MB firing). A
 * cell charts an alert when the runbook serves it and the cell's query reads a
 * metric the alert's expression compares; alerts compared with another series
 * (no constant threshold) are left out.
 */
export function checkCellThresholds(runbooks: readonly LocatedRunbook[], links: RuleLinks): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const { file, runbook } of runbooks) {
    const rules = (links.rulesOf.get(runbook.id) ?? []).map(({ rule }) => ({ rule, thresholds: rule.thresholds }));
    for (const cell of runbook.cells) {
      if (cell.threshold === null) continue;
      const charted = rules.filter(({ thresholds }) =>
        thresholds.some((threshold) => threshold.metrics.some((name) => reads(cell.query, name))),
      );
      const thresholds = charted.flatMap(({ thresholds }) => thresholds);
      if (charted.length === 0 || thresholds.some((threshold) => sameThresholdValue(threshold.value, cell.threshold!)))
        continue;
      const fires = charted.map(
        ({ rule, thresholds: own }) => `${rule.name} fires at ${own.map(describe).join(' or ')}`,
      );
      problems.push({
        file,
        line: cell.line,
        column: 1,
        severity: 'warning',
        code: 'threshold-mismatch',
        message: `cell "${cell.id}": threshold=${cell.threshold} is not the alert's threshold (${fires.join('; ')}); the chart would draw a line the alert does not use`,
      });
    }
  }
  return problems;
}

function describe(threshold: ParsedRule['thresholds'][number]): string {
  return `${threshold.operator} ${threshold.text}`;
}

function reads(query: string, metric: string): boolean {
  return new RegExp(`(?<![\\w:])${metric.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:])`).test(query);
}
