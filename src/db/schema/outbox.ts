import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { incidents } from './incidents.js';

/** Work that must happen once cluster-wide after an incident changes (see src/domain/replicas/README.md). */
export type OutboxKind = 'auto-run-cells' | 'snapshot-on-resolve';

/**
 * Work to do once, whichever replica does it. A trigger on `timeline_events`
 * (the `outbox-trigger` migration) writes the row in the transaction that appends
 * `incident.opened` (→ auto-run-cells) or `incident.resolved` (→
 * snapshot-on-resolve), so the work survives a crash right after the commit;
 * only for an incident with a pinned runbook (`outbox-only-with-runbook`), the
 * one thing both kinds work on.
 * A replica claims a row with FOR UPDATE SKIP LOCKED by leasing it
 * (`claimed_until`), and deletes it when done; a lease that runs out (the
 * replica died) makes the row claimable again.
 */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').$type<OutboxKind>().notNull(),
  incidentId: bigint('incident_id', { mode: 'number' })
    .notNull()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'date' }),
});
