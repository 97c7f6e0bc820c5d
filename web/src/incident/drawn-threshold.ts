import { type DrawnThreshold, drawnThreshold } from '../../../src/domain/incidents/drawn-threshold.js';
import type { IncidentCell } from '../api/types.js';

interface ThresholdProps {
  threshold: number | null;
  thresholdOperator: string | null;
}

/** The threshold line a cell's live chart draws at this incident (src/domain/incidents/drawn-threshold.ts). */
export function liveThreshold(cell: IncidentCell | undefined): ThresholdProps {
  return props(drawnThreshold(cell));
}

/**
 * The line a snapshot's chart draws: the one its cell's chart drew when it was taken, which the snapshot records;
 * a snapshot recorded before it did draws the cell's line of today.
 */
export function pinnedThreshold(
  recorded: { threshold?: DrawnThreshold | null },
  cell: IncidentCell | undefined,
): ThresholdProps {
  return recorded.threshold === undefined ? liveThreshold(cell) : props(recorded.threshold);
}

function props(line: DrawnThreshold | null): ThresholdProps {
  return { threshold: line?.value ?? null, thresholdOperator: line?.operator ?? null };
}
