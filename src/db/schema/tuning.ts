import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { incidents } from './incidents.js';

export type TuningDecisionStatus = 'proposed' | 'applied' | 'verified' | 'rejected' | 'superseded';
export type TuningEvidenceKind = 'baseline' | 'backtest';

/**
 * Baseline and backtest results kept as they were answered: a decision's
 * evidence outlives Prometheus' retention. Rows are never updated.
 */
export const tuningEvidence = pgTable('tuning_evidence', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').$type<TuningEvidenceKind>().notNull(),
  alertname: text('alertname').notNull(),
  ruleGroup: text('rule_group').notNull(),
  file: text('file').notNull(),
  ruleVersion: text('rule_version').notNull(),
  // The JSON text exactly as served (jsonb would reorder keys).
  resultJson: text('result_json').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** The values a decision changes from and to, as the API shows them (durations as Prometheus writes them). */
export interface TuningValues {
  threshold: number | null;
  for: string | null;
  keepFiringFor: string | null;
  expr: string | null;
}

/** One threshold-tuning decision; `status` is the latest of its events (tuning_decision_events). */
export const tuningDecisions = pgTable(
  'tuning_decisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    alertname: text('alertname').notNull(),
    ruleGroup: text('rule_group').notNull(),
    file: text('file').notNull(),
    line: integer('line').notNull(),
    /**
     * The rule's static labels (severity) when decided, templated ones left out: its alerts carry them, which tells the
     * firings of one rule of a warning/critical pair from the other's. `{}` on decisions from before they were kept.
     */
    ruleLabels: jsonb('rule_labels').$type<Record<string, string>>().notNull().default({}),
    ruleVersion: text('rule_version').notNull(),
    thresholdIndex: integer('threshold_index').notNull(),
    fromValues: jsonb('from_values').$type<TuningValues & { operator: string | null; expr: string }>().notNull(),
    toValues: jsonb('to_values').$type<TuningValues>().notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    incidentId: bigint('incident_id', { mode: 'number' }).references(() => incidents.id, { onDelete: 'set null' }),
    status: text('status').$type<TuningDecisionStatus>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true, mode: 'date' }),
    appliedRuleVersion: text('applied_rule_version'),
    verifyAfterSeconds: integer('verify_after_seconds').notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    verification: jsonb('verification').$type<Record<string, unknown>>(),
    baselineId: bigint('baseline_id', { mode: 'number' }).references(() => tuningEvidence.id),
    backtestId: bigint('backtest_id', { mode: 'number' }).references(() => tuningEvidence.id),
  },
  (t) => [
    // Equality only (the list's alertname filter); hash, as incidents' alertname index: any length fits.
    index('tuning_decisions_alertname_idx').using('hash', t.alertname),
    // The list's status filter, and the reload's and the verification's look-ups of open decisions.
    index('tuning_decisions_status_idx').on(t.status, t.id.desc()),
  ],
);

/** Append-only: every status a decision took, who moved it and why. Nothing updates or deletes these rows. */
export const tuningDecisionEvents = pgTable(
  'tuning_decision_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    decisionId: bigint('decision_id', { mode: 'number' })
      .notNull()
      .references(() => tuningDecisions.id, { onDelete: 'cascade' }),
    status: text('status').$type<TuningDecisionStatus>().notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actor: text('actor').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('tuning_decision_events_decision_idx').on(t.decisionId, t.id)],
);
