import type { IncidentCell } from '../api/types.js';

/**
 * The threshold line a cell's chart draws at this incident, live or pinned as a snapshot: the firing rule's
 * threshold where the server found the cell charts it (labelled with the rule's comparison), else the
 * cell's own `threshold=`.
 */
export function drawnThreshold(cell: IncidentCell | undefined): {
  threshold: number | null;
  thresholdOperator: string | null;
} {
  return {
    threshold: cell?.ruleThreshold?.value ?? cell?.threshold ?? null,
    thresholdOperator: cell?.ruleThreshold?.operator ?? null,
  };
}
