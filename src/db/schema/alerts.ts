import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { incidents } from './incidents.js';

export type AlertStatus = 'firing' | 'resolved';

/**
 * One row per alert occurrence: `fingerprint + startsAt`. A re-fire of the same
 * label set has a new startsAt and is a new occurrence.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: bigint('incident_id', { mode: 'number' })
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    // sha256 (hex) of the group, the fingerprint as sent (or a labels hash when the sender sent none) and
    // startsAt epoch ms: a fixed size for the unique index however long the fingerprint.
    occurrenceKey: text('occurrence_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    status: text('status').$type<AlertStatus>().notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }),
    generatorUrl: text('generator_url'),
    // The runbook this alert links to (null: none found; see domain/runbooks linking).
    runbookId: text('runbook_id'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // Idempotency: retries, resends and HA duplicates all land on this key.
    uniqueIndex('alerts_occurrence_key').on(t.occurrenceKey),
    // The notebook's alerts table and "does this incident still have firing alerts".
    index('alerts_incident_status_idx').on(t.incidentId, t.status),
    // Reports count a week's occurrences by startsAt (src/db/reports/): a range scan instead of the whole table.
    // Migration 0008 makes it INCLUDE (fingerprint, ends_at, id), which drizzle cannot declare: the report's
    // flapping query (src/db/reports/report-queries.ts) then reads the week's occurrences from this index alone
    // (about 70 bytes an entry) instead of the heap's wide rows with their labels: 1.3 s instead of 4.6 s of that
    // query's scan in bench:report at load 17. It replaces the key-only index, so intake still writes one entry here.
    index('alerts_starts_at_idx').on(t.startsAt),
  ],
);
