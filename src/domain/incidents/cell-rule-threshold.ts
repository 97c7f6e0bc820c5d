import { parsePromql } from '../runbooks/promql-syntax.js';
import type { KnownRule } from '../tuning/known-rules.js';

/** The firing rule's threshold as a cell chart draws it: `observed <operator> value`. */
export interface CellRuleThreshold {
  alertname: string;
  operator: string;
  value: number;
  /** The constant as written in the rule. */
  text: string;
}

/**
 * The threshold of the firing rule a cell charts: the cell's query is the
 * left-hand side of one of the rule's comparisons (or the whole expression).
 * Queries are compared as PromQL token sequences without their label matchers,
 * so layout, comments and the labels a runbook narrows to (`{job="api"}`) do
 * not matter, while a different function, grouping or range does.
 */
export function cellRuleThreshold(cellQuery: string, rules: readonly KnownRule[]): CellRuleThreshold | null {
  const cell = promqlShape(cellQuery);
  if (cell === null) return null;
  for (const rule of rules) {
    const constant = rule.thresholds.filter((t) => !t.bool && Number.isFinite(t.value));
    const matching =
      constant.find((threshold) => promqlShape(threshold.observed) === cell) ??
      (promqlShape(rule.expr) === cell ? constant[0] : undefined);
    if (matching) {
      return { alertname: rule.alertname, operator: matching.operator, value: matching.value, text: matching.text };
    }
  }
  return null;
}

/** The rules an incident's alert comes from: its alertname, and the static labels the rule sets (severity) agree. */
export function firingRules(rules: readonly KnownRule[], alertLabels: Record<string, string>): KnownRule[] {
  return rules.filter(
    (rule) =>
      rule.alertname === alertLabels.alertname &&
      Object.entries(rule.labels).every(
        ([name, value]) => alertLabels[name] === undefined || alertLabels[name] === value,
      ),
  );
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
