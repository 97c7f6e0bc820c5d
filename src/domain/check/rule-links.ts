import { matchesLabels, RunbookFinder, type RunbookMatch } from '../runbooks/link-runbook.js';
import type { ParsedRunbook } from '../runbooks/runbook.js';
import { staticAlertLabels, type LocatedRule } from './check-subjects.js';

export interface RuleLinks {
  finder: RunbookFinder;
  /** What each alerting rule links to: exactly what the live service does for an alert with the rule's static labels. */
  linkOf: Map<LocatedRule, RunbookMatch | null>;
  /**
   * The alerting rules each runbook (by id) may serve: those linked to it, and
   * those it claims with `match` matchers on labels the rule does not set
   * statically (they come from the expression at run time, so may match).
   */
  rulesOf: Map<string, LocatedRule[]>;
}

export function linkRules(rules: readonly LocatedRule[], runbooks: readonly ParsedRunbook[]): RuleLinks {
  const finder = new RunbookFinder(runbooks);
  const linkOf = new Map<LocatedRule, RunbookMatch | null>();
  const served = new Map<string, Set<LocatedRule>>();
  const serve = (id: string, rule: LocatedRule) => served.set(id, (served.get(id) ?? new Set()).add(rule));

  for (const located of rules) {
    const link = finder.find({ labels: staticAlertLabels(located.rule), annotations: located.rule.annotations });
    linkOf.set(located, link);
    if (link?.kind === 'runbook') serve(link.id, located);
  }

  const rulesByName = new Map<string, LocatedRule[]>();
  for (const located of rules) {
    const sameName = rulesByName.get(located.rule.name);
    if (sameName) sameName.push(located);
    else rulesByName.set(located.rule.name, [located]);
  }
  for (const runbook of runbooks) {
    for (const alertname of runbook.alerts) {
      for (const located of rulesByName.get(alertname) ?? []) {
        if (mayMatch(runbook, located)) serve(runbook.id, located);
      }
    }
  }
  const rulesOf = new Map([...served].map(([id, set]) => [id, [...set]]));
  return { finder, linkOf, rulesOf };
}

/**
 * Whether a runbook's `match` may accept the alerts of a rule: matchers on labels
 * the rule sets statically must accept them; matchers on any other label are
 * undecided until the expression yields its series, so they exclude nothing.
 */
export function mayMatch(runbook: Pick<ParsedRunbook, 'match'>, located: LocatedRule): boolean {
  const labels = staticAlertLabels(located.rule);
  return matchesLabels(
    runbook.match.filter((matcher) => Object.hasOwn(labels, matcher.label)),
    labels,
  );
}
