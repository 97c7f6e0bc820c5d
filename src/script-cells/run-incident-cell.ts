/**
 * Runs a script cell of an incident's pinned runbook version with the incident's labels, and
 * appends the run to the timeline (`cell.run`): who, which version, the permissions granted,
 * duration, exit, outputs or error. Every refusal happens before a process starts.
 */
import { eq } from 'drizzle-orm';
import { incidents, timelineEventFields, timelineEvents } from '../db/schema/index.js';
import { NotFoundError } from '../domain/errors.js';
import { loadPinnedRunbook, templateVars } from '../domain/incidents/incident-runbook.js';
import type { WriteContext } from '../domain/incidents/write-context.js';
import { renderMarkdownSafe } from '../domain/runbooks/render-runbook.js';
import type { CellOutput } from './cell-output.js';
import type { RunbookVersionView } from '../domain/runbooks/runbook-view.js';
import type { ScriptCell } from '../domain/runbooks/script-cell.js';
import type { ScriptRunner, ScriptRunResult } from './script-runner.js';

/** A cell that exists but may not run here (a PromQL cell, refused permissions, over the ceiling, no Deno): 422. */
export class CellNotRunnableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CellNotRunnableError';
  }
}

// Enough of Deno's last words to explain a failure; the outputs carry the rest.
const STDERR_KEPT = 8 * 1024;

export async function runIncidentCell({
  ctx,
  runner,
  input,
}: {
  ctx: WriteContext;
  runner: ScriptRunner;
  input: { id: number; cellId: string; actor: string };
}) {
  const { incident, version } = await loadPinnedRunbook(ctx.db, input.id);
  if (!version) throw new NotFoundError(`a runbook for incident ${input.id}`);
  const cell = version.scriptCells.find((c) => c.id === input.cellId);
  if (!cell) {
    if (version.cells.some((c) => c.id === input.cellId)) {
      throw new CellNotRunnableError(
        `cell "${input.cellId}" is a PromQL cell: the notebook charts it live, there is nothing to run`,
      );
    }
    throw new NotFoundError(
      `cell "${input.cellId}" in runbook ${version.id} (version ${version.version.sha.slice(0, 12)})`,
    );
  }
  const disabled = runner.disabledReason(version);
  if (disabled) throw new CellNotRunnableError(`cell "${cell.id}" is disabled: ${disabled}`);

  const [[details], vars] = await Promise.all([
    ctx.db
      .select({
        title: incidents.title,
        status: incidents.status,
        startedAt: incidents.startedAt,
        acknowledgedAt: incidents.acknowledgedAt,
      })
      .from(incidents)
      .where(eq(incidents.id, input.id)),
    templateVars(ctx.db, input.id, incident.externalUrl),
  ]);
  if (!details) throw new NotFoundError(`incident ${input.id}`);

  // Throws RunQueueFullError synchronously when there is no place: nothing has started.
  const result = await runner.run({
    code: cell.code,
    timeoutSeconds: cell.timeout,
    permissions: version.permissions,
    datasource: version.datasource,
    alert: { labels: vars.labels, annotations: vars.annotations },
    incident: {
      id: input.id,
      title: details.title,
      status: details.status === 'firing' && details.acknowledgedAt ? 'acknowledged' : details.status,
      startedAt: details.startedAt.toISOString(),
    },
  });

  const data = cellRunData(cell, version, result);
  const [event] = await ctx.db
    .insert(timelineEvents)
    .values({ incidentId: input.id, type: 'cell.run', at: ctx.clock(), actor: input.actor, data })
    .returning(timelineEventFields);
  ctx.bus?.publish({ incidentId: input.id, types: ['cell.run'] });
  return event!;
}

/** A `cell.run` event's data: who is the event's actor; the rest is here. */
export type CellRunData = ReturnType<typeof cellRunData>;

function cellRunData(cell: ScriptCell, version: RunbookVersionView, result: ScriptRunResult) {
  return {
    cellId: cell.id,
    title: cell.title,
    runbook: { id: version.id, sha: version.version.sha, gitCommit: version.version.gitCommit },
    permissions: version.permissions,
    durationMs: result.durationMs,
    exit: result.exit,
    ok: result.ok,
    outputs: result.outputs.map(withSafeHtml),
    error: result.error,
    permissionHint: result.permissionHint,
    stderr: result.stderr.slice(-STDERR_KEPT),
  };
}

/** A recorded output, markdown with the sanitized HTML the notebook shows (any `html` the cell made up is replaced). */
export type RecordedCellOutput =
  | Exclude<CellOutput, { kind: 'markdown' }>
  | { kind: 'markdown'; text: string; html: string };

function withSafeHtml(output: CellOutput): RecordedCellOutput {
  if (output.kind !== 'markdown') return output;
  const text = String(output.text);
  return { kind: 'markdown', text, html: renderMarkdownSafe(text) };
}
