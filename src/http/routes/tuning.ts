import { Hono } from 'hono';
import type { TuningDecisions } from '../../tuning/tuning-decisions.js';
import type { AppEnv } from '../env.js';
import { acceptsQuery, idParam, jsonBody } from '../params.js';

/** Threshold-tuning decisions and their stored evidence (issue #15; reference in src/http/API.md). */
export function tuningRoutes(deps: { tuning: TuningDecisions }) {
  const { tuning } = deps;
  const decisionId = (c: Parameters<typeof idParam>[0]) => idParam(c, 'a decision id');
  return new Hono<AppEnv>()
    .get('/tuning/evidence/:id', async (c) =>
      c.body(await tuning.evidence(c.req.param('id')), 200, { 'content-type': 'application/json; charset=UTF-8' }),
    )
    .post('/tuning/decisions', async (c) => c.json(await tuning.create(await jsonBody(c), c.get('actor')), 201))
    .get('/tuning/decisions', acceptsQuery('alertname', 'status'), async (c) =>
      c.json({ decisions: await tuning.list(c.req.query()) }),
    )
    .get('/tuning/decisions/:id', async (c) => c.json(await tuning.get(decisionId(c))))
    .patch('/tuning/decisions/:id', async (c) =>
      c.json(await tuning.reject(decisionId(c), await jsonBody(c), c.get('actor'))),
    )
    .get('/tuning/decisions/:id/patch', async (c) =>
      c.body(await tuning.patch(decisionId(c)), 200, { 'content-type': 'text/x-diff; charset=UTF-8' }),
    );
}
