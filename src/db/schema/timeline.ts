import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { incidents } from './incidents.js';

/** Append-only event log per incident: nothing updates or deletes these rows. */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: bigint('incident_id', { mode: 'number' })
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actor: text('actor').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('timeline_events_incident_idx').on(t.incidentId, t.id),
    // Reports' "pages with action" and runbook use (src/db/reports/): the few events a person makes, found without
    // reading the alert events (one per alert, most of the table). Actor is in the key for an index-only scan.
    index('timeline_events_person_idx')
      .on(t.incidentId, t.type, t.actor)
      .where(sql`${t.type} in ('incident.acknowledged', 'note.added', 'step.checked', 'cell.snapshot')`),
  ],
);

/** What an event looks like to readers (the API, the bus): every column but its incident. */
export const timelineEventFields = {
  id: timelineEvents.id,
  type: timelineEvents.type,
  at: timelineEvents.at,
  actor: timelineEvents.actor,
  data: timelineEvents.data,
};
