import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
    // Equality only (the list's alertname filter). A hash index holds any length of alertname; a btree fails past 2,704 bytes.
    index('incidents_alertname_idx').using('hash', t.alertname),
  ],
);
