import type { IncidentBus } from '../domain/incident-bus.js';
import { loadPinnedRunbook } from '../domain/incidents/incident-runbook.js';
import type { WriteContext } from '../domain/incidents/write-context.js';
import { errorFields, type Logger } from '../logger.js';
import { runIncidentCell } from './run-incident-cell.js';
import type { ScriptRunner } from './script-runner.js';

export const AUTO_RUN_ACTOR = 'alertbook';

/**
 * Runs the `run=auto` cells of a new incident's runbook once, after intake has committed (the bus
 * publishes only then) and apart from the webhook's answer. Returns the unsubscribe function and
 * a way to wait for the runs in flight (shutdown, tests).
 */
export function autoRunCells(deps: { bus: IncidentBus; ctx: WriteContext; runner: ScriptRunner; logger: Logger }) {
  const inFlight = new Set<Promise<void>>();
  const runFor = async (incidentId: number) => {
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
  const unsubscribe = deps.bus.subscribe((change) => {
    if (!change.types.includes('incident.opened')) return;
    const run = runFor(change.incidentId)
      .catch((error) =>
        deps.logger.warn('auto cell run failed', { incidentId: change.incidentId, ...errorFields(error) }),
      )
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  });
  return {
    stop: unsubscribe,
    settled: () => Promise.all([...inFlight]).then(() => undefined),
  };
}
