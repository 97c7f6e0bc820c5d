import { loadPinnedRunbook } from '../domain/incidents/incident-runbook.js';
import type { WriteContext } from '../domain/incidents/write-context.js';
import type { OutboxHandler } from '../domain/replicas/outbox-worker.js';
import { runIncidentCell } from './run-incident-cell.js';
import type { ScriptRunner } from './script-runner.js';

export const AUTO_RUN_ACTOR = 'alertbook';

/**
 * Runs the `run=auto` cells of a new incident's runbook: the outbox's
 * `auto-run-cells` work, done once across the replicas, after intake has
 * committed and apart from the webhook's answer.
 */
export function autoRunCells(deps: { ctx: WriteContext; runner: ScriptRunner }): OutboxHandler {
  return async (incidentId) => {
    const { version } = await loadPinnedRunbook(deps.ctx.db, incidentId);
    if (!version || deps.runner.disabledReason(version)) return;
    for (const cell of version.scriptCells.filter((c) => c.run === 'auto')) {
      await runIncidentCell({
        ctx: deps.ctx,
        runner: deps.runner,
        input: { id: incidentId, cellId: cell.id, actor: AUTO_RUN_ACTOR },
      });
    }
  };
}
