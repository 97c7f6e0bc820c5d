import { Hono } from 'hono';
import {
  expireIncidentSilence,
  listIncidentSilences,
  silenceIncident,
  type SilenceContext,
} from '../../domain/silences/incident-silences.js';
import type { AppEnv } from '../env.js';
import { acceptsQuery, incidentIdParam, jsonBody } from '../params.js';

/** Silences of an incident's alerts, kept in Alertmanager (API v2). */
export function silenceRoutes(deps: { ctx: SilenceContext }) {
  const { ctx } = deps;
  return new Hono<AppEnv>()
    .get('/incidents/:id/silences', acceptsQuery(), async (c) =>
      c.json(await listIncidentSilences({ ctx, input: { id: incidentIdParam(c) } })),
    )
    .post('/incidents/:id/silences', async (c) =>
      c.json(
        await silenceIncident({
          ctx,
          input: { id: incidentIdParam(c), actor: c.get('actor'), body: await jsonBody(c) },
        }),
        201,
      ),
    )
    .delete('/incidents/:id/silences/:silenceId', async (c) =>
      c.json(
        await expireIncidentSilence({
          ctx,
          input: { id: incidentIdParam(c), silenceId: c.req.param('silenceId'), actor: c.get('actor') },
        }),
      ),
    );
}
