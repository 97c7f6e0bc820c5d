import type { Logger } from '../../logger.js';
import type { OutboxHandler } from '../replicas/outbox-worker.js';
import type { SnapshotContext } from './snapshot-context.js';
import { snapshotRunbookCells } from './snapshot-runbook-cells.js';

/** Who the timeline says took an automatic snapshot. */
export const AUTO_SNAPSHOT_ACTOR = 'alertbook';

/**
 * When an incident resolves (by intake or by hand), snapshots every cell of
 * its runbook: the outbox's `snapshot-on-resolve` work, done once across the
 * replicas, after the commit and off the request path. A cell that cannot be
 * queried is recorded as such; a failure to record at all is thrown (retried).
 */
export function snapshotOnResolve(options: { ctx: SnapshotContext; logger: Logger }): OutboxHandler {
  const { ctx, logger } = options;
  return async (incidentId, signal) => {
    const outcomes = await snapshotRunbookCells({
      ctx,
      input: { id: incidentId, actor: AUTO_SNAPSHOT_ACTOR, signal },
    });
    if (outcomes.length === 0) return;
    logger.info('snapshotted runbook cells of resolved incident', {
      incidentId,
      cells: outcomes.length,
      failed: outcomes.filter((o) => !o.ok).length,
    });
  };
}
