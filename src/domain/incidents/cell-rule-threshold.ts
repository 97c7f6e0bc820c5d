import { metricNames } from '../rules/metric-names.js';
import { sameThresholdValue } from '../rules/same-threshold-value.js';
import { parsePromql } from '../runbooks/promql-syntax.js';
import type { KnownRule } from '../tuning/known-rules.js';
import { ruleCouldHaveFired } from './rule-could-have-fired.js';

/** The firing rule's threshold as a cell chart draws it: `observed <operator> value`. */
export interface CellRuleThreshold {
  alertname: string;
  /** The rule's group, file and line, and the threshold's index in it: the threshold as tuning decisions name it. */
  group: string;
  file: string;
  line: number;
  thresholdIndex: number;
  operator: string;
  value: number;
  /** The constant as written in the rule. */
  text: string;
}

/** The rules of the incident's alertname: those its alert comes from (`firingRules`), and all of them. */
export interface IncidentRules {
  firing: readonly KnownRule[];
  ofAlertname: readonly KnownRule[];
}

/**
 * The threshold of the firing rule a cell charts: the cell's query is the
 * left-hand side of one of the rule's comparisons (or the whole expression).
 * Queries are compared as PromQL token sequences without their label matchers,
 * so layout, comments and the labels a runbook narrows to (`{job="api"}`) do
 * not matter, while a different function, grouping or range does.
 *
 * Otherwise, when the cell's own `threshold=` is another severity's threshold
 * of the alert (`alertbook check` keeps it one of the alert's thresholds), the
 * firing rule's threshold on the same metrics: at a critical incident, a
 * "p95 by route" cell written with the warning's 1 s draws the critical 3 s.
 */
export function cellRuleThreshold(
  cell: { query: string; threshold: number | null },
  rules: IncidentRules,
): CellRuleThreshold | null {
  const shape = promqlShape(cell.query);
  if (shape === null) return null;
  for (const rule of rules.firing) {
    const constant = rule.thresholds.filter((t) => !t.bool && Number.isFinite(t.value));
    const matching =
      constant.find((threshold) => promqlShape(threshold.observed) === shape) ??
      (promqlShape(rule.expr) === shape ? constant[0] : undefined);
    if (matching) return ruleThresholdOf(rule, matching);
  }
  return cell.threshold === null ? null : firingInPlaceOfOtherSeverity(cell.query, cell.threshold, rules);
}

function firingInPlaceOfOtherSeverity(query: string, value: number, rules: IncidentRules): CellRuleThreshold | null {
  const read = new Set(metricNames(query));
  const metricsOf = (observed: string) => [...new Set(metricNames(observed))].sort().join(' ');
  const named = rules.ofAlertname
    .filter((rule) => !rules.firing.includes(rule))
    .flatMap((rule) => rule.thresholds)
    .find((t) => sameThresholdValue(t.value, value) && metricNames(t.observed).every((m) => read.has(m)));
  if (!named || metricsOf(named.observed) === '') return null;
  for (const rule of rules.firing) {
    const own = rule.thresholds.find(
      (t) =>
        !t.bool &&
        Number.isFinite(t.value) &&
        t.operator === named.operator &&
        metricsOf(t.observed) === metricsOf(named.observed),
    );
    if (own) return ruleThresholdOf(rule, own);
  }
  return null;
}

function ruleThresholdOf(rule: KnownRule, threshold: KnownRule['thresholds'][number]): CellRuleThreshold {
  return {
    alertname: rule.alertname,
    group: rule.group,
    file: rule.file,
    line: rule.line,
    thresholdIndex: rule.thresholds.indexOf(threshold),
    operator: threshold.operator,
    value: threshold.value,
    text: threshold.text,
  };
}

/** The rules an incident's alert comes from: its alertname, and the static labels the rule sets (severity) agree. */
export function firingRules(rules: readonly KnownRule[], alertLabels: Record<string, string>): KnownRule[] {
  return rules.filter((rule) => ruleCouldHaveFired(rule, alertLabels));
}

/** The query's tokens, label matchers left out and outer parentheses dropped; null when it does not parse. */
function promqlShape(query: string): string | null {
  const tree = parsePromql(query);
  const tokens: string[] = [];
  let broken = false;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) broken = true;
      if (broken || ref.name === 'LabelMatchers') return false;
      if (!ref.node.firstChild) tokens.push(query.slice(ref.from, ref.to));
      return true;
    },
  });
  if (broken) return null;
  while (tokens[0] === '(' && tokens.at(-1) === ')') {
    tokens.shift();
    tokens.pop();
  }
  return tokens.join(' ');
}
