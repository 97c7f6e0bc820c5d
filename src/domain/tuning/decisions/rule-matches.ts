import type { TuningValues } from '../../../db/schema/tuning.js';
import { parsePrometheusDuration } from '../../../prometheus/duration.js';
import type { KnownRule } from '../known-rules.js';

/** Which rule a decision is about: the same alertname, group and file. */
export interface DecisionRule {
  alertname: string;
  ruleGroup: string;
  file: string;
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
