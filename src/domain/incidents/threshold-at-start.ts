import type { CellRuleThreshold } from './cell-rule-threshold.js';

/** A tuning decision that moved one of a rule's thresholds, and when the rule files first held its new value. */
export interface AppliedThresholdMove {
  decisionId: number;
  ruleGroup: string;
  file: string;
  /** The line of the rule's `- alert:` when the decision was made (two rules of one group may share an alertname). */
  line: number;
  thresholdIndex: number;
  from: number;
  appliedAt: Date;
}

/** The firing rule's threshold as an incident's chart draws it: the one in force when the incident started. */
export interface IncidentRuleThreshold extends CellRuleThreshold {
  /** Set when a decision applied since the incident started moved it: that decision, and the rule's value today. */
  movedSince: { decisionId: number; appliedAt: string; value: number; text: string } | null;
}

/**
 * The threshold the incident's alert fired against, not the one a later tuning decision put in the rule: a review
 * of last week's incident after its rule was tuned must see the line the series crossed. The first decision applied
 * after the incident started, for this rule and threshold, says what it was (its from-value); today's stays beside
 * it. A rule edited by hand, outside decisions, leaves no record, nor does one moved to another line since (the line
 * tells a warning/critical pair of one group apart): then today's value is all there is.
 *
 * `appliedSince`: the alertname's threshold moves applied after the incident started, oldest first.
 */
export function thresholdAtIncidentStart(
  today: CellRuleThreshold,
  appliedSince: readonly AppliedThresholdMove[],
): IncidentRuleThreshold {
  const first = appliedSince.find(
    (move) =>
      move.ruleGroup === today.group &&
      move.file === today.file &&
      move.line === today.line &&
      move.thresholdIndex === today.thresholdIndex,
  );
  if (!first || first.from === today.value) return { ...today, movedSince: null };
  return {
    ...today,
    value: first.from,
    text: String(first.from),
    movedSince: {
      decisionId: first.decisionId,
      appliedAt: first.appliedAt.toISOString(),
      value: today.value,
      text: today.text,
    },
  };
}
