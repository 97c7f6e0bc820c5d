import { errorFields, type Logger } from '../../logger.js';
import type { IncidentBus } from '../incident-bus.js';
import type { SnapshotContext } from './snapshot-context.js';
import { snapshotRunbookCells } from './snapshot-runbook-cells.js';

/** Who the timeline says took an automatic snapshot. */
export const AUTO_SNAPSHOT_ACTOR = 'alertbook';

export interface SnapshotOnResolve {
  /** Resolves once every snapshot run started so far has finished. */
  settled(): Promise<void>;
  /** Stops listening, cancels the queries in flight and waits for the runs to end (before closing the database). */
  stop(): Promise<void>;
}

/**
 * When an incident resolves (by intake or by hand), snapshots every cell of
 * its runbook. Runs after the commit, off the request path, one incident at a
 * time; a failure is logged, never thrown at the bus.
 */
export function snapshotOnResolve(options: {
  bus: IncidentBus;
  ctx: SnapshotContext;
  logger: Logger;
}): SnapshotOnResolve {
  const { ctx, logger } = options;
  const stopping = new AbortController();
  const queued = new Set<number>();
  let queue = Promise.resolve();

  const run = async (incidentId: number) => {
    try {
      const outcomes = await snapshotRunbookCells({
        ctx,
        input: { id: incidentId, actor: AUTO_SNAPSHOT_ACTOR, signal: stopping.signal },
      });
      const failed = outcomes.filter((o) => !o.ok);
      if (outcomes.length)
        logger.info('snapshotted runbook cells of resolved incident', {
          incidentId,
          cells: outcomes.length,
          failed: failed.length,
        });
    } catch (error) {
      if (!stopping.signal.aborted)
        logger.error('snapshotting a resolved incident failed', { incidentId, ...errorFields(error) });
    } finally {
      queued.delete(incidentId);
    }
  };

  const unsubscribe = options.bus.subscribe(({ incidentId, types }) => {
    if (!types.includes('incident.resolved') || queued.has(incidentId) || stopping.signal.aborted) return;
    queued.add(incidentId);
    queue = queue.then(() => run(incidentId));
  });

  return {
    settled: () => queue,
    async stop() {
      unsubscribe();
      stopping.abort();
      await queue;
    },
  };
}
