import { useState } from 'preact/hooks';
import type { IncidentCell, IncidentStep, TimelineEvent } from '../api/types.js';
import { TimeAgo } from '../components/time-ago.js';
import { useMe } from '../api/me.js';
import { NoteCard } from './note-card.js';
import { noteStates, type NoteState } from './note-revisions.js';
import { SilenceEventBody } from './silences-event.js';
import { SnapshotView, type SnapshotData } from './snapshot-view.js';
import { timelineRows } from './timeline-rows.js';
import { TuningEventBody } from '../tuning/tuning-event.js';

/** Rows shown before "show older": the recent story, not a 1,000-event scroll. */
const FIRST_ROWS = 40;

export interface TimelineContext {
  incidentId: number;
  marker: number;
  cells: IncidentCell[];
  steps: IncidentStep[];
  /** Re-reads the incident after a change made here (live updates may lag or be off). */
  onChanged(): void;
}

/** What every row may need beyond its event: notes as they read now, and who this viewer is. */
interface RowContext extends TimelineContext {
  notes: Map<number, NoteState>;
  me: string | null;
}

export function Timeline({ events, context }: { events: TimelineEvent[]; context: TimelineContext }) {
  const [showAll, setShowAll] = useState(false);
  const rows = timelineRows(events);
  const rowContext: RowContext = { ...context, notes: noteStates(events), me: useMe() };
  const shown = showAll ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <section class="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <ol class="timeline">
        {shown.map((row) =>
          row.kind === 'alerts' ? (
            <AlertRun key={`a${row.events[0]!.id}`} type={row.type} events={row.events} />
          ) : (
            <li key={row.event.id} class={`event event-${row.event.type.replace('.', '-')}`}>
              <EventLine event={row.event} context={rowContext} />
            </li>
          ),
        )}
      </ol>
      {shown.length < rows.length && (
        <button type="button" class="link-button" onClick={() => setShowAll(true)}>
          Show {rows.length - shown.length} older entries
        </button>
      )}
    </section>
  );
}

/**
 * `alert.firing` / `alert.resolved` data: one event per batch of alerts that
 * changed together (`count`, the first few in `alerts`). Events written before
 * batching name a single alert in place; the timeline keeps them forever.
 */
type AlertEventData = { count: number; alerts: { alertname: string | null }[] } | { alertname: string | null };

function alertBatch(data: Record<string, unknown>): { count: number; names: (string | null)[] } {
  const event = data as unknown as AlertEventData;
  if ('alerts' in event) return { count: event.count, names: event.alerts.map((a) => a.alertname) };
  return { count: 1, names: [event.alertname] };
}

function AlertRun({ type, events }: { type: string; events: TimelineEvent[] }) {
  const batches = events.map((e) => alertBatch(e.data));
  const count = batches.reduce((sum, b) => sum + b.count, 0);
  const names = [...new Set(batches.flatMap((b) => b.names.map((name) => name ?? '(no alertname)')))].join(', ');
  const verb = type === 'alert.firing' ? 'started firing' : 'resolved';
  return (
    <li class={`event event-${type.replace('.', '-')}`}>
      <div class="event-head">
        <span class="event-what">{count === 1 ? `Alert ${names} ${verb}` : `${count} alerts ${verb} (${names})`}</span>
        <TimeAgo at={events[0]!.at} />
      </div>
    </li>
  );
}

function EventLine({ event, context }: { event: TimelineEvent; context: RowContext }) {
  const head = (what: string) => (
    <div class="event-head">
      <span class="event-what">
        {what} <span class="event-actor">{event.actor}</span>
      </span>
      <TimeAgo at={event.at} />
    </div>
  );
  const data = event.data;
  switch (event.type) {
    case 'incident.opened':
      return head('Incident opened by');
    case 'incident.acknowledged':
      return head('Acknowledged by');
    case 'incident.resolved':
      return head(data.manual ? 'Resolved by' : 'Resolved (every alert resolved), by');
    case 'note.added': {
      const note = context.notes.get(event.id)!;
      return (
        <>
          {head('Note by')}
          <NoteCard
            incidentId={context.incidentId}
            noteId={event.id}
            note={note}
            mine={event.actor === context.me}
            onChanged={context.onChanged}
          />
        </>
      );
    }
    case 'note.edited':
      return head('Note edited by');
    case 'note.deleted':
      return head('Note deleted by');
    case 'step.checked':
    case 'step.unchecked': {
      const step = context.steps.find((s) => s.id === data.stepId);
      return head(`${event.type === 'step.checked' ? 'Ticked' : 'Unticked'} “${step?.text ?? String(data.stepId)}” —`);
    }
    case 'runbook.linked':
      return (
        <>
          {head(data.manual ? 'Runbook linked by' : 'Runbook pinned by')}
          <p class="small">
            <a href={`/runbooks/${String(data.runbookId)}`}>{String(data.runbookId)}</a> at version{' '}
            <code>{String(data.sha).slice(0, 12)}</code>
          </p>
        </>
      );
    case 'cell.snapshot': {
      const snapshot = data as unknown as SnapshotData;
      return (
        <>
          {head('Snapshot pinned by')}
          <SnapshotView
            data={snapshot}
            cell={context.cells.find((c) => c.id === snapshot.cellId)}
            incidentId={context.incidentId}
            marker={context.marker}
          />
        </>
      );
    }
    case 'cell.snapshot_failed':
      return (
        <>
          {head('Snapshot failed, asked by')}
          <p class="inline-error">
            {String((data.error as { message?: string } | undefined)?.message ?? 'unknown error')}
          </p>
        </>
      );
    case 'cell.run':
      return head(
        `Script cell “${String(data.title ?? data.cellId)}” ${data.ok ? 'ran' : 'failed'} (${String(data.durationMs)} ms), run by`,
      );
    case 'tuning.proposed':
    case 'tuning.applied':
      return (
        <>
          {head(event.type === 'tuning.proposed' ? 'Threshold change proposed by' : 'Threshold change applied, by')}
          <TuningEventBody data={data} />
        </>
      );
    case 'alert.silenced':
    case 'alert.unsilenced':
      return (
        <>
          {head(event.type === 'alert.silenced' ? 'Alerts silenced by' : 'Silence expired by')}
          <SilenceEventBody data={data} />
        </>
      );
    default:
      return head(`${event.type} by`);
  }
}
