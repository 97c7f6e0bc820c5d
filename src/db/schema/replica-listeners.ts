import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The replicas listening for timeline changes, one row each: the channel its LISTEN connection listens on, which is
 * that connection's application_name (`alertbook-listener <replica>`). The `timeline_events_notify` trigger NOTIFYs
 * each listed channel but the writer's own (the `notify-other-replicas-only` migration). src/db/replica-link.ts
 * lists its replica when it listens, marks the row seen every few seconds while listening and deletes it when it
 * stops; a row not seen for a minute (its replica crashed) is deleted by the others at their next heartbeat or join.
 */
export const replicaListeners = pgTable('replica_listeners', {
  channel: text('channel').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
