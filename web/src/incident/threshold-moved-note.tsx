import type { IncidentRuleThreshold } from '../../../src/domain/incidents/threshold-at-start.js';
import { TimeAgo } from '../components/time-ago.js';
import { formatValue } from '../format/value.js';

/**
 * Under a chart whose rule threshold a tuning decision moved after the incident started: the line drawn is the one the
 * alert fired against, and today's value is one link away.
 */
export function ThresholdMovedNote({ threshold, unit }: { threshold: IncidentRuleThreshold; unit: string | null }) {
  const moved = threshold.movedSince;
  if (!moved) return null;
  return (
    <>
      The line is the rule's threshold when this incident started ({threshold.operator}{' '}
      {formatValue(threshold.value, unit)});{' '}
      <a href={`/tuning/${moved.decisionId}`}>tuning decision #{moved.decisionId}</a> moved it to {threshold.operator}{' '}
      {formatValue(moved.value, unit)} at <TimeAgo at={moved.appliedAt} show="clock" />.
    </>
  );
}
