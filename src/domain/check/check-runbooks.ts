import type { ParsedRuleFile } from '../rules/parse-rule-file.js';
import type { ParsedRunbook } from '../runbooks/runbook.js';
import { checkCellThresholds } from './cell-thresholds.js';
import { sortProblems, withFile, type CheckProblem } from './check-problem.js';
import { locateRules, locateRunbooks, type LocatedRunbook } from './check-subjects.js';
import { checkDuplicateRules } from './duplicate-rules.js';
import { checkDuplicateRunbooks } from './duplicate-runbooks.js';
import { checkRuleCoverage } from './rule-coverage.js';
import { linkRules, type RuleLinks } from './rule-links.js';
import { checkRunbook } from './runbook-checks.js';
import { checkTemplateLabels } from './template-labels.js';

export interface CheckInput {
  /** The runbooks directory as the user wrote it; runbook problems are reported under it. */
  runbooksDir: string;
  runbooks: ParsedRunbook[];
  /** Paths as the user should see them. */
  ruleFiles: ParsedRuleFile[];
}

export interface CheckReport {
  problems: CheckProblem[];
  runbooks: LocatedRunbook[];
  ruleCount: number;
  /** Which alerting rules each runbook serves (for evaluating cells with their labels). */
  links: RuleLinks;
}

/**
 * Everything `alertbook check` verifies without a Prometheus: each runbook and rule
 * file on its own (parser problems, query resolution), runbooks against each other
 * (ids, ambiguous claims), and, when there are rule files, rules against runbooks.
 */
export function checkRunbooks(input: CheckInput): CheckReport {
  const runbooks = locateRunbooks(input.runbooksDir, input.runbooks);
  const rules = locateRules(input.ruleFiles);
  const alertingRules = rules.filter(({ rule }) => rule.kind === 'alert');
  const links = linkRules(alertingRules, input.runbooks);

  const problems: CheckProblem[] = [
    ...runbooks.flatMap(({ file, runbook }) => withFile(file, runbook.problems)),
    ...runbooks.flatMap(checkRunbook),
    ...checkDuplicateRunbooks(runbooks),
    ...input.ruleFiles.flatMap((ruleFile) => withFile(ruleFile.path, ruleFile.problems)),
    ...checkDuplicateRules(rules),
  ];
  // Without rule files every runbook would look orphaned; there is nothing to cross-check.
  if (input.ruleFiles.length > 0) {
    problems.push(
      ...checkRuleCoverage(alertingRules, runbooks, links, input.runbooksDir),
      ...checkTemplateLabels(runbooks, links),
      ...checkCellThresholds(runbooks, links),
    );
  }
  return { problems: sortProblems(problems), runbooks, ruleCount: rules.length, links };
}
