import type { TuningValues } from '../../../db/schema/tuning.js';
import { parsePrometheusDuration } from '../../../prometheus/duration.js';
import type { KnownRule } from '../known-rules.js';

/** Which rule a decision is about: the same alertname, group and file (and, of a pair in one group, line). */
export interface DecisionRule {
  alertname: string;
  ruleGroup: string;
  file: string;
  /** Where the rule's `- alert:` was when the decision was made. */
  line: number;
  thresholdIndex: number;
  toValues: TuningValues;
}

/**
 * Whether a loaded rule is the decision's rule holding every to-value (fields
 * the decision leaves as they were are not looked at): the moment it becomes
 * `applied`.
 */
export function ruleMatchesTo(rule: KnownRule, decision: DecisionRule): boolean {
  const to = decision.toValues;
  return (
    rule.alertname === decision.alertname &&
    rule.group === decision.ruleGroup &&
    rule.file === decision.file &&
    (to.threshold === null || rule.thresholds[decision.thresholdIndex]?.value === to.threshold) &&
    (to.expr === null || rule.expr.trim() === to.expr.trim()) &&
    (to.for === null || rule.forSeconds === parsePrometheusDuration(to.for)) &&
    (to.keepFiringFor === null || rule.keepFiringForSeconds === parsePrometheusDuration(to.keepFiringFor))
  );
}

/**
 * The loaded rule that is the decision's and holds every to-value, if one does. Of several rules of its alertname in
 * its group and file (a warning/critical pair), the one still at the decision's line is its rule, so the other
 * rule taking those values does not apply it; only when none is at that line (the file was edited above it) does any
 * of them holding the to-values count.
 */
export function ruleHoldingTo(rules: readonly KnownRule[], decision: DecisionRule): KnownRule | null {
  const same = rules.filter(
    (rule) => rule.alertname === decision.alertname && rule.group === decision.ruleGroup && rule.file === decision.file,
  );
  const atLine = same.find((rule) => rule.line === decision.line);
  return (atLine ? [atLine] : same).find((rule) => ruleMatchesTo(rule, decision)) ?? null;
}
