import { Hono } from 'hono';
import { diffRunbookVersions } from '../../domain/runbooks/diff-runbook-versions.js';
import {
  currentVersionSha,
  getRunbookVersion,
  listRunbooks,
  listRunbookVersions,
  type RunbookReadContext,
} from '../../domain/runbooks/read-runbooks.js';
import { runbookVersionView } from '../../domain/runbooks/runbook-view.js';
import type { AppEnv } from '../env.js';
import { acceptsQuery } from '../params.js';

// Runbook ids may contain slashes (runbooks in sub-folders): one or more
// segments, matched lazily so a trailing /versions or /diff is not swallowed.
const ID = ':id{[^/]+(?:/[^/]+)*?}';

export function runbookRoutes(deps: { ctx: RunbookReadContext; reload: () => Promise<unknown> }) {
  const { ctx } = deps;
  const version = async (id: string, sha: string) =>
    runbookVersionView(await getRunbookVersion({ ctx, input: { id, sha } }));
  return new Hono<AppEnv>()
    .get('/runbooks', acceptsQuery(), async (c) => c.json({ runbooks: await listRunbooks({ ctx }) }))
    .post('/runbooks/reload', async (c) => c.json(await deps.reload()))
    .get(`/runbooks/${ID}/versions/:sha`, acceptsQuery(), async (c) =>
      c.json(await version(c.req.param('id'), c.req.param('sha'))),
    )
    .get(`/runbooks/${ID}/versions`, acceptsQuery(), async (c) =>
      c.json({ versions: await listRunbookVersions({ ctx, input: { id: c.req.param('id') } }) }),
    )
    .get(`/runbooks/${ID}/diff`, acceptsQuery('from', 'to'), async (c) => {
      const { from, to } = c.req.query();
      return c.json(await diffRunbookVersions({ ctx, input: { id: c.req.param('id'), from, to } }));
    })
    .get(`/runbooks/${ID}`, acceptsQuery(), async (c) => {
      const id = c.req.param('id');
      return c.json(await version(id, await currentVersionSha({ ctx, input: { id } })));
    });
}
