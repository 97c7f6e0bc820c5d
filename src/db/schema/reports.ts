import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Generated reports kept as they were made: the numbers of last quarter's
 * reviews stay readable after retention cleaned the rows they were counted
 * from. One report per period and zone; storing it again returns the first.
 */
export const storedReports = pgTable(
  'stored_reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // The ISO week for weekly reports, null for any other range.
    week: text('week'),
    tz: text('tz').notNull(),
    fromAt: timestamp('from_at', { withTimezone: true, mode: 'date' }).notNull(),
    toAt: timestamp('to_at', { withTimezone: true, mode: 'date' }).notNull(),
    definitionsVersion: integer('definitions_version').notNull(),
    // The JSON text exactly as served (jsonb would reorder keys, and the renderers follow key order).
    reportJson: text('report_json').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // The period's identity: a second store of the same period finds the first (and the scheduler's race has one winner).
    uniqueIndex('stored_reports_period').on(t.tz, t.fromAt, t.toAt),
    // The /reports page lists newest periods first.
    index('stored_reports_from_idx').on(t.fromAt.desc()),
  ],
);

/**
 * Scheduled deliveries, one row per (period, target): inserting the row is the
 * claim, so of several replicas, or a restart after a send, exactly one sends
 * a week. `deliveredAt` stays null until the target accepted it; a failed
 * delivery keeps its row (with the error) and is not retried by another replica.
 */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    reportId: bigint('report_id', { mode: 'number' })
      .notNull()
      .references(() => storedReports.id, { onDelete: 'cascade' }),
    // `webhook` or `dir`.
    target: text('target').notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('report_deliveries_once').on(t.reportId, t.target)],
);
