import { Hono } from 'hono';
import type { SnapshotContext } from '../../domain/snapshots/snapshot-context.js';
import { takeSnapshot } from '../../domain/snapshots/take-snapshot.js';
import type { AppEnv } from '../env.js';
import { incidentIdParam, jsonBody } from '../params.js';

/** `POST /incidents/:id/snapshots {cellId | query, datasource?, start?, end?, step?}` → the `cell.snapshot` event, 201. */
export function snapshotRoutes(deps: { ctx: SnapshotContext }) {
  return new Hono<AppEnv>().post('/incidents/:id/snapshots', async (c) => {
    const event = await takeSnapshot({
      ctx: deps.ctx,
      input: { id: incidentIdParam(c), actor: c.get('actor'), body: await jsonBody(c), signal: c.req.raw.signal },
    });
    return c.json(event, 201);
  });
}
