import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export type IncidentStatus = 'firing' | 'resolved';

/**
 * One incident per Alertmanager group episode. `groupIdentity` is the sha256
 * (hex) of `receiver` + `groupKey` (or the sorted group labels for senders
 * without a groupKey) as sent: a long `group_by` makes groupKeys of kilobytes,
 * past the 2,704 bytes a btree entry may hold, so the indexes hold the hash.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    groupIdentity: text('group_identity').notNull(),
    receiver: text('receiver').notNull(),
    groupKey: text('group_key'),
    groupLabels: jsonb('group_labels').$type<Record<string, string>>().notNull(),
    status: text('status').$type<IncidentStatus>().notNull(),
    title: text('title').notNull(),
    severity: text('severity'),
    alertname: text('alertname'),
    externalUrl: text('external_url'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: text('resolved_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgedBy: text('acknowledged_by'),
    previousIncidentId: bigint('previous_incident_id', { mode: 'number' }),
    // The runbook version this incident was handled with (pinned at link time).
    runbookId: text('runbook_id'),
    runbookSha: text('runbook_sha'),
    // A runbook_url annotation that points outside our runbooks, kept as a link.
    runbookExternalUrl: text('runbook_external_url'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // At most one open (firing) incident per group: the race-proof anchor for
    // "a firing notification with no open incident opens one".
    uniqueIndex('incidents_one_open_per_group').on(t.groupIdentity).where(sql`${t.status} = 'firing'`),
    // Listing newest first with cursor paging on (started_at, id). Built DESC NULLS LAST (drizzle's default), so a
    // query gets its order only by asking for `desc nulls last`; drizzle's desc() means NULLS FIRST.
    index('incidents_started_at_id_idx').on(t.startedAt.desc(), t.id.desc()),
    // Finding the previous incident of a group when it re-fires.
    index('incidents_group_started_idx').on(t.groupIdentity, t.startedAt.desc()),
    // An alertname's incidents, newest first: the list's filter, "has this fired before", tuning's counts. Keyed by
    // the alertname's hash: a btree entry fails past 2,704 bytes, and a hash index (before migration 0013) kept all
    // of one alertname's incidents on one bucket's overflow chain, walked to its end by every insert. Queries match
    // with alertnameIs() below.
    index('incidents_alertname_started_idx').on(
      sql`hashtextextended(${t.alertname}, 0)`,
      t.startedAt.desc(),
      t.id.desc(),
    ),
  ],
);

/** `incidents.alertname = value`, written so that incidents_alertname_started_idx serves it. */
export function alertnameIs(value: string, column: SQL | AnyPgColumn = incidents.alertname): SQL {
  return sql`(hashtextextended(${column}, 0) = hashtextextended(${value}::text, 0) and ${column} = ${value})`;
}
