import type { TuningDecisionStatus } from '../../../db/schema/tuning.js';
import { ConflictError } from '../../errors.js';

/**
 * Where each status may go. `applied` is reached only from a loaded rule file
 * and `verified` only from the periodic check; by hand a proposal can only be
 * rejected. Superseded, rejected and verified are final.
 */
const NEXT: Record<TuningDecisionStatus, readonly TuningDecisionStatus[]> = {
  proposed: ['applied', 'rejected', 'superseded'],
  applied: ['verified'],
  verified: [],
  rejected: [],
  superseded: [],
};

export function canMove(from: TuningDecisionStatus, to: TuningDecisionStatus): boolean {
  return NEXT[from].includes(to);
}

/** A 409 when the decision cannot move there (e.g. rejecting one already applied). */
export function assertCanMove(id: number, from: TuningDecisionStatus, to: TuningDecisionStatus): void {
  if (!canMove(from, to)) throw new ConflictError(`decision ${id} is ${from}: it cannot become ${to}`);
}
