import { bigint, boolean, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { incidents } from './incidents.js';

/** The current state of each runbook file; history lives in runbook_versions. */
export const runbooks = pgTable('runbooks', {
  id: text('id').primaryKey(),
  path: text('path').notNull(),
  title: text('title').notNull(),
  alerts: jsonb('alerts').$type<string[]>().notNull().default([]),
  owner: text('owner'),
  currentSha: text('current_sha').notNull(),
  // A runbook whose file disappeared stays readable (old incidents pin it).
  removed: boolean('removed').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Every distinct content a runbook ever had, keyed by the sha256 of the file. */
export const runbookVersions = pgTable(
  'runbook_versions',
  {
    runbookId: text('runbook_id').notNull(),
    sha: text('sha').notNull(),
    path: text('path').notNull(),
    gitCommit: text('git_commit'),
    content: text('content').notNull(),
    frontmatter: jsonb('frontmatter').$type<Record<string, unknown>>().notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'runbook_versions_pk', columns: [t.runbookId, t.sha] })],
);

/** Current ticked state of a runbook step on an incident (history is on the timeline). */
export const incidentSteps = pgTable(
  'incident_steps',
  {
    incidentId: bigint('incident_id', { mode: 'number' })
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    checked: boolean('checked').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'incident_steps_pk', columns: [t.incidentId, t.stepId] })],
);
