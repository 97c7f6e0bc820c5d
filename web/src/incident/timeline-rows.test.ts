import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types.js';
import { timelineRows } from './timeline-rows.js';

const event = (id: number, type: string): TimelineEvent => ({
  id,
  type,
  at: '2026-11-22T07:00:00Z',
  actor: 'alertmanager',
  data: {},
});

describe('timelineRows', () => {
  it('lists the newest first and folds runs of the same alert event into one row', () => {
    const rows = timelineRows([
      event(1, 'incident.opened'),
      event(2, 'alert.firing'),
      event(3, 'alert.firing'),
      event(4, 'alert.firing'),
      event(5, 'note.added'),
      event(6, 'alert.resolved'),
      event(7, 'alert.firing'),
    ]);
    expect(
      rows.map((r) => (r.kind === 'alerts' ? `${r.type}×${r.events.map((e) => e.id).join(',')}` : r.event.id)),
    ).toEqual(['alert.firing×7', 'alert.resolved×6', 5, 'alert.firing×4,3,2', 1]);
  });

  it('gives each silence its own row: a person did it', () => {
    const rows = timelineRows([
      event(1, 'alert.firing'),
      event(2, 'alert.silenced'),
      event(3, 'alert.silenced'),
      event(4, 'alert.unsilenced'),
    ]);
    expect(rows.map((r) => (r.kind === 'alerts' ? r.type : r.event.id))).toEqual([4, 3, 2, 'alert.firing']);
  });
});
