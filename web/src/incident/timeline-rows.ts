import type { TimelineEvent } from '../api/types.js';

export type TimelineRow =
  | { kind: 'event'; event: TimelineEvent }
  | { kind: 'alerts'; type: string; events: TimelineEvent[] };

/** Alert events a person did (silencing): each is a row of its own, naming who, never folded into a storm. */
const OWN_ROW = new Set(['alert.silenced', 'alert.unsilenced']);

/** Newest first; consecutive alert events of one kind (notifications of a storm) fold into one row. */
export function timelineRows(events: readonly TimelineEvent[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    const last = rows[rows.length - 1];
    const folds = event.type.startsWith('alert.') && !OWN_ROW.has(event.type);
    if (folds && last?.kind === 'alerts' && last.type === event.type) last.events.push(event);
    else if (folds) rows.push({ kind: 'alerts', type: event.type, events: [event] });
    else rows.push({ kind: 'event', event });
  }
  return rows;
}
