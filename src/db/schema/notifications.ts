import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One row per distinct notification content (a delivery log, not the payload).
 * Identical re-deliveries bump `deliveries` instead of adding a row.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // sha256 of groupIdentity + sorted (occurrence, status, endsAt) of the alerts.
    contentHash: text('content_hash').notNull(),
    receiver: text('receiver').notNull(),
    groupKey: text('group_key'),
    status: text('status').notNull(),
    alertCount: integer('alert_count').notNull(),
    truncatedAlerts: integer('truncated_alerts').notNull().default(0),
    deliveries: integer('deliveries').notNull().default(1),
    firstReceivedAt: timestamp('first_received_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastReceivedAt: timestamp('last_received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('notifications_content_hash').on(t.contentHash),
    // Reports count a week's notifications by first receipt (src/db/reports/).
    index('notifications_first_received_idx').on(t.firstReceivedAt),
  ],
);
