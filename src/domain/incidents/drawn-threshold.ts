import type { CellRuleThreshold } from './cell-rule-threshold.js';

/** A threshold line on a cell's chart: its value, and the rule's comparison when it is a rule's. */
export interface DrawnThreshold {
  value: number;
  operator: string | null;
}

/**
 * The threshold line a cell's chart draws at an incident, live or pinned as a snapshot: the firing rule's threshold
 * where the cell charts it (with the rule's comparison), else the cell's own `threshold=`.
 */
export function drawnThreshold(
  cell: { threshold: number | null; ruleThreshold: Pick<CellRuleThreshold, 'value' | 'operator'> | null } | undefined,
): DrawnThreshold | null {
  if (cell?.ruleThreshold) return { value: cell.ruleThreshold.value, operator: cell.ruleThreshold.operator };
  return cell?.threshold == null ? null : { value: cell.threshold, operator: null };
}
