import { type Context, Hono } from 'hono';
import { acknowledgeIncident } from '../../domain/incidents/acknowledge-incident.js';
import { addNote } from '../../domain/incidents/add-note.js';
import { type ExportFormat, exportIncident } from '../../domain/incidents/export/export-incident.js';
import { earlierIncidents } from '../../domain/incidents/earlier-incidents.js';
import { getIncident } from '../../domain/incidents/get-incident.js';
import type { KnownRule } from '../../domain/tuning/known-rules.js';
import { getIncidentRunbook } from '../../domain/incidents/incident-runbook.js';
import { linkRunbookByHand } from '../../domain/incidents/link-runbook-by-hand.js';
import { LIST_INCIDENTS_PARAMETERS, listIncidents } from '../../domain/incidents/list-incidents.js';
import { reviseNote } from '../../domain/incidents/revise-note.js';
import { resolveIncident } from '../../domain/incidents/resolve-incident.js';
import { setStep } from '../../domain/incidents/set-step.js';
import type { WriteContext } from '../../domain/incidents/write-context.js';
import { ValidationError } from '../../domain/errors.js';
import type { AppEnv } from '../env.js';
import { acceptsQuery, idParam, incidentIdParam, jsonBody } from '../params.js';

const EXPORT_TYPES = { markdown: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

function exportFormatParam(raw: string | undefined): ExportFormat {
  if (raw === undefined) return 'markdown';
  if (raw === 'markdown' || raw === 'html') return raw;
  throw new ValidationError('format', `"${raw}" is not an export format (expected markdown or html)`);
}

const noteOf = (c: Context) => ({ id: incidentIdParam(c), noteId: idParam(c, 'noteId', 'a note id') });

export function incidentRoutes(deps: { ctx: WriteContext; rules?: { list(): readonly KnownRule[] } }) {
  const { ctx } = deps;
  return new Hono<AppEnv>()
    .get('/incidents', acceptsQuery(...LIST_INCIDENTS_PARAMETERS), async (c) =>
      c.json(await listIncidents({ ctx, input: c.req.query() })),
    )
    .get('/incidents/:id', acceptsQuery(), async (c) =>
      c.json(await getIncident({ ctx, input: { id: incidentIdParam(c) } })),
    )
    .get('/incidents/:id/earlier', acceptsQuery(), async (c) =>
      c.json(await earlierIncidents({ ctx, input: { id: incidentIdParam(c) } })),
    )
    .get('/incidents/:id/export', acceptsQuery('format'), async (c) => {
      const format = exportFormatParam(c.req.query('format'));
      const text = await exportIncident({ ctx, input: { id: incidentIdParam(c), format } });
      c.header('Content-Type', EXPORT_TYPES[format]);
      return c.body(text);
    })
    .post('/incidents/:id/ack', async (c) =>
      c.json(await acknowledgeIncident({ ctx, input: { id: incidentIdParam(c), actor: c.get('actor') } })),
    )
    .post('/incidents/:id/resolve', async (c) =>
      c.json(await resolveIncident({ ctx, input: { id: incidentIdParam(c), actor: c.get('actor') } })),
    )
    .post('/incidents/:id/notes', async (c) =>
      c.json(
        await addNote({ ctx, input: { id: incidentIdParam(c), actor: c.get('actor'), body: await jsonBody(c) } }),
        201,
      ),
    )
    .put('/incidents/:id/notes/:noteId', async (c) =>
      c.json(
        await reviseNote({
          ctx,
          input: { ...noteOf(c), actor: c.get('actor'), revision: { kind: 'edit', body: await jsonBody(c) } },
        }),
      ),
    )
    .delete('/incidents/:id/notes/:noteId', async (c) =>
      c.json(await reviseNote({ ctx, input: { ...noteOf(c), actor: c.get('actor'), revision: { kind: 'delete' } } })),
    )
    .get('/incidents/:id/runbook', acceptsQuery(), async (c) =>
      c.json(await getIncidentRunbook({ ctx: { ...ctx, rules: deps.rules }, input: { id: incidentIdParam(c) } })),
    )
    .post('/incidents/:id/runbook', async (c) =>
      c.json(
        await linkRunbookByHand({
          ctx,
          input: { id: incidentIdParam(c), actor: c.get('actor'), body: await jsonBody(c) },
        }),
      ),
    )
    .post('/incidents/:id/steps/:stepId', async (c) =>
      c.json(
        await setStep({
          ctx,
          input: {
            id: incidentIdParam(c),
            stepId: c.req.param('stepId'),
            actor: c.get('actor'),
            body: await jsonBody(c),
          },
        }),
      ),
    );
}
