import { Hono, type Context } from 'hono';
import { loadPinnedRunbook } from '../../domain/incidents/incident-runbook.js';
import type { WriteContext } from '../../domain/incidents/write-context.js';
import { CellNotRunnableError, runIncidentCell } from '../../script-cells/run-incident-cell.js';
import { RunQueueFullError, type ScriptRunner } from '../../script-cells/script-runner.js';
import type { AppEnv } from '../env.js';
import { incidentIdParam } from '../params.js';

/**
 * `GET /incidents/:id/script-cells`: whether the pinned runbook's script cells may run here, and
 * why not (the notebook disables its Run buttons with that reason).
 * `POST /incidents/:id/cells/:cellId/run`: runs a script cell of the incident's pinned runbook
 * and answers with the `cell.run` timeline event. 422 for a cell that cannot run (with why),
 * 429 with Retry-After when every place and the queue are taken.
 */
export function cellRoutes(deps: { ctx: WriteContext; runner: ScriptRunner }) {
  return new Hono<AppEnv>()
    .get('/incidents/:id/script-cells', async (c) => {
      const { version } = await loadPinnedRunbook(deps.ctx.db, incidentIdParam(c));
      return c.json({ disabledReason: version ? deps.runner.disabledReason(version) : null });
    })
    .post('/incidents/:id/cells/:cellId/run', async (c) => {
      try {
        const input = { id: incidentIdParam(c), cellId: c.req.param('cellId'), actor: c.get('actor') };
        return c.json(await runIncidentCell({ ctx: deps.ctx, runner: deps.runner, input }));
      } catch (error) {
        if (error instanceof CellNotRunnableError) return refusal(c, 422, 'unprocessable', error.message);
        if (error instanceof RunQueueFullError) {
          c.header('Retry-After', String(error.retryAfterSeconds));
          return refusal(c, 429, 'too_many_requests', error.message);
        }
        throw error;
      }
    });
}

// The API's error envelope, for the two statuses only this route gives.
function refusal(c: Context<AppEnv>, status: 422 | 429, code: string, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') ?? '' } }, status);
}
