import type { TimelineEvent } from '../api/types.js';

export type TimelineRow =
  | { kind: 'event'; event: TimelineEvent }
  | { kind: 'alerts'; type: string; events: TimelineEvent[] };

/** Newest first; consecutive alert events of one kind (notifications of a storm) fold into one row. */
export function timelineRows(events: readonly TimelineEvent[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    const last = rows[rows.length - 1];
    if (event.type.startsWith('alert.') && last?.kind === 'alerts' && last.type === event.type) last.events.push(event);
    else if (event.type.startsWith('alert.')) rows.push({ kind: 'alerts', type: event.type, events: [event] });
    else rows.push({ kind: 'event', event });
  }
  return rows;
}
