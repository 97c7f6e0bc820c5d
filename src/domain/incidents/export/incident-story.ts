import type { SnapshotData } from '../../snapshots/record-snapshot.js';
import { currentNotes } from '../current-notes.js';
import type { getIncident } from '../get-incident.js';
import type { getIncidentRunbook } from '../incident-runbook.js';
import { escapeMarkdown, escapeTableCell } from './markdown-text.js';

type Incident = Awaited<ReturnType<typeof getIncident>>;
type PinnedRunbook = Awaited<ReturnType<typeof getIncidentRunbook>>;

/**
 * An incident told as a postmortem draft: what fired, when, who did what, what
 * they wrote and saw. One model, rendered as markdown (a wiki, a GitHub issue)
 * and as a self-contained HTML file.
 */
export type StoryBlock =
  | { kind: 'markdown'; text: string }
  | { kind: 'snapshot'; title: string; snapshot: SnapshotData };

export function incidentStory(incident: Incident, pinned: PinnedRunbook, exportedAt: Date): StoryBlock[] {
  const i = incident.incident;
  const md = (...lines: string[]): StoryBlock => ({ kind: 'markdown', text: lines.join('\n') });
  const blocks: StoryBlock[] = [
    md(
      `# Incident ${i.id}: ${escapeMarkdown(i.title)}`,
      '',
      `*Postmortem draft exported from Alertbook on ${iso(exportedAt)}.*`,
      '',
      '## Summary',
      '',
      table(
        ['', ''],
        [
          ['Status', i.status],
          ['Severity', i.severity ?? '–'],
          ['Alert', i.alertname ?? '–'],
          ['Receiver', incident.incident.receiver],
          [
            'Group',
            Object.entries(i.groupLabels)
              .map(([k, v]) => `${k}="${v}"`)
              .join(', ') || '–',
          ],
        ],
      ),
      '',
      '## Impact window',
      '',
      table(
        ['', 'at', 'after start'],
        [
          ['Started', iso(i.startedAt), '–'],
          ['Acknowledged', iso(i.acknowledgedAt), since(i.startedAt, i.acknowledgedAt, i.acknowledgedBy)],
          ['Resolved', iso(i.resolvedAt), since(i.startedAt, i.resolvedAt, i.resolvedBy)],
        ],
      ),
      '',
      '## Alerts',
      '',
      table(
        ['alert', 'labels', 'started', 'ended', 'status'],
        incident.alerts.map((a) => [
          a.labels.alertname ?? '–',
          Object.entries(a.labels)
            .filter(([k]) => k !== 'alertname')
            .map(([k, v]) => `${k}="${v}"`)
            .join(', '),
          iso(a.startsAt),
          a.status === 'resolved' ? iso(a.endsAt) : '–',
          a.status,
        ]),
      ),
    ),
  ];
  blocks.push(md('', '## Runbook', '', runbookLine(pinned, incident)));
  const ticked = pinned.runbook?.steps.filter((s) => s.checked) ?? [];
  if (pinned.runbook) {
    blocks.push(
      md(
        '',
        '## Steps taken',
        '',
        ticked.length
          ? ticked.map((s) => `- [x] ${escapeMarkdown(s.text)} — ${s.checkedBy}, ${iso(s.checkedAt)}`).join('\n')
          : '*No step was ticked.*',
      ),
    );
  }
  blocks.push(...notes(incident.timeline));
  blocks.push(...snapshots(incident.timeline, pinned));
  blocks.push(
    md(
      '',
      '## Timeline',
      '',
      table(
        ['at', 'who', 'what'],
        incident.timeline.map((e) => [iso(e.at), e.actor, describeEvent(e.type, e.data)]),
      ),
    ),
  );
  return blocks;
}

type TimelineEvent = Incident['timeline'][number];

function notes(timeline: TimelineEvent[]): StoryBlock[] {
  const current = currentNotes(timeline);
  if (current.length === 0) return [];
  const text = current.map((n) => `**${escapeMarkdown(n.actor)}**, ${iso(n.at)}:\n\n${quote(n.text)}`);
  return [{ kind: 'markdown', text: ['', '## Notes', '', text.join('\n\n')].join('\n') }];
}

function snapshots(timeline: TimelineEvent[], pinned: PinnedRunbook): StoryBlock[] {
  const taken = timeline.filter((e) => e.type === 'cell.snapshot');
  if (taken.length === 0) return [];
  const titleOf = (cellId: unknown) => pinned.runbook?.cells.find((c) => c.id === cellId)?.title;
  return [
    { kind: 'markdown', text: '\n## Snapshots' },
    ...taken.map((e): StoryBlock => {
      const snapshot = e.data as unknown as SnapshotData;
      const title = `${titleOf(snapshot.cellId) ?? snapshot.query} — pinned by ${e.actor}, ${iso(e.at)}`;
      return { kind: 'snapshot', title, snapshot };
    }),
  ];
}

function runbookLine(pinned: PinnedRunbook, incident: Incident): string {
  if (pinned.runbook) {
    const { id, title } = pinned.runbook;
    return `${escapeMarkdown(title ?? id)} (\`${id}\`) at version \`${incident.incident.runbookSha?.slice(0, 12)}\``;
  }
  return pinned.externalUrl ? `External: <${pinned.externalUrl}>` : '*No runbook was linked.*';
}

/** One line per timeline event: what happened, for a reader who was not there. */
export function describeEvent(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'incident.opened':
      return 'incident opened';
    case 'incident.acknowledged':
      return 'acknowledged';
    case 'incident.resolved':
      return data.manual ? 'resolved by hand' : 'resolved: every alert resolved';
    case 'alert.firing':
    case 'alert.resolved': {
      const count = typeof data.count === 'number' ? data.count : 1;
      return `${count} alert${count === 1 ? '' : 's'} ${type === 'alert.firing' ? 'firing' : 'resolved'}`;
    }
    case 'note.added':
      return 'note added';
    case 'note.edited':
      return 'note edited';
    case 'note.deleted':
      return 'note deleted';
    case 'step.checked':
      return `ticked step \`${String(data.stepId)}\``;
    case 'step.unchecked':
      return `unticked step \`${String(data.stepId)}\``;
    case 'runbook.linked':
      return `runbook \`${String(data.runbookId)}\` ${data.manual ? 'linked' : 'pinned'}`;
    case 'cell.snapshot':
      return `snapshot of \`${escapeTableCell(String(data.cellId ?? data.query))}\``;
    case 'cell.snapshot_failed':
      return 'a snapshot failed';
    case 'cell.run':
      return `ran script cell \`${String(data.cellId)}\``;
    default:
      return type;
  }
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '*None.*';
  const line = (cells: string[]) => `| ${cells.map(escapeTableCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function quote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

function iso(at: Date | null): string {
  return at ? at.toISOString().replace('.000Z', 'Z') : '–';
}

function since(start: Date, at: Date | null, by: string | null): string {
  if (!at) return '–';
  const minutes = Math.round((at.getTime() - start.getTime()) / 60_000);
  const after = minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
  return by ? `${after}, by ${by}` : after;
}
