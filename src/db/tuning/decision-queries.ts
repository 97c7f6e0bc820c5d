import { and, asc, desc, eq, gt, inArray, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db, Tx } from '../client.js';
import { tuningDecisionEvents, tuningDecisions, type TuningDecisionStatus } from '../schema/index.js';
import type { AppliedThresholdMove } from '../../domain/incidents/threshold-at-start.js';

export type DecisionRow = typeof tuningDecisions.$inferSelect;
export type DecisionEventRow = typeof tuningDecisionEvents.$inferSelect;
type NewDecision = Omit<typeof tuningDecisions.$inferInsert, 'id'>;

export interface Span {
  from: Date;
  to: Date;
}

export async function insertDecision(tx: Tx, values: NewDecision): Promise<DecisionRow> {
  const [row] = await tx.insert(tuningDecisions).values(values).returning();
  return row!;
}

/** The one way a status changes: the row's status (and its figures) and an appended event, in the caller's transaction. */
export async function moveDecision(
  tx: Tx,
  move: {
    id: number;
    status: TuningDecisionStatus;
    at: Date;
    actor: string;
    detail?: Record<string, unknown> | null;
    set?: Partial<Pick<DecisionRow, 'appliedAt' | 'appliedRuleVersion' | 'verifiedAt' | 'verification'>>;
  },
): Promise<void> {
  await tx
    .update(tuningDecisions)
    .set({ status: move.status, ...move.set })
    .where(eq(tuningDecisions.id, move.id));
  await appendEvent(tx, move);
}

export async function appendEvent(
  tx: Tx,
  event: { id: number; status: TuningDecisionStatus; at: Date; actor: string; detail?: Record<string, unknown> | null },
): Promise<void> {
  await tx.insert(tuningDecisionEvents).values({
    decisionId: event.id,
    status: event.status,
    at: event.at,
    actor: event.actor,
    detail: event.detail ?? null,
  });
}

/** The decision locked for a status change (a racing change waits, then sees the new status). */
export async function lockDecision(tx: Tx, id: number): Promise<DecisionRow | null> {
  const [row] = await tx.select().from(tuningDecisions).where(eq(tuningDecisions.id, id)).for('update');
  return row ?? null;
}

/**
 * Open proposals for the same rule and threshold, locked: a new decision supersedes them. The line is the rule's (a
 * warning/critical pair of one group shares the rest).
 */
export function lockOpenProposals(
  tx: Tx,
  rule: { alertname: string; ruleGroup: string; file: string; line: number; thresholdIndex: number },
): Promise<DecisionRow[]> {
  return tx
    .select()
    .from(tuningDecisions)
    .where(
      and(
        eq(tuningDecisions.status, 'proposed'),
        eq(tuningDecisions.alertname, rule.alertname),
        eq(tuningDecisions.ruleGroup, rule.ruleGroup),
        eq(tuningDecisions.file, rule.file),
        eq(tuningDecisions.line, rule.line),
        eq(tuningDecisions.thresholdIndex, rule.thresholdIndex),
      ),
    )
    .for('update');
}

export function selectDecisions(
  db: Db,
  filter: { alertname?: string; status?: TuningDecisionStatus; ids?: number[] },
): Promise<DecisionRow[]> {
  const conditions: SQL[] = [];
  if (filter.alertname !== undefined) conditions.push(eq(tuningDecisions.alertname, filter.alertname));
  if (filter.status !== undefined) conditions.push(eq(tuningDecisions.status, filter.status));
  if (filter.ids !== undefined) conditions.push(inArray(tuningDecisions.id, filter.ids));
  return db
    .select()
    .from(tuningDecisions)
    .where(and(...conditions))
    .orderBy(desc(tuningDecisions.id));
}

export function selectEvents(db: Db, decisionIds: number[]): Promise<DecisionEventRow[]> {
  if (decisionIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(tuningDecisionEvents)
    .where(inArray(tuningDecisionEvents.decisionId, decisionIds))
    .orderBy(asc(tuningDecisionEvents.id));
}

/** Every decision recorded, applied or verified in the span (the weekly report's Tuning section). */
export function selectDecisionsTouching(db: Db, span: Span): Promise<DecisionRow[]> {
  const inSpan = (column: SQLWrapper) =>
    sql`${column} >= ${span.from.toISOString()}::timestamptz and ${column} < ${span.to.toISOString()}::timestamptz`;
  return db
    .select()
    .from(tuningDecisions)
    .where(or(inSpan(tuningDecisions.createdAt), inSpan(tuningDecisions.appliedAt), inSpan(tuningDecisions.verifiedAt)))
    .orderBy(asc(tuningDecisions.id));
}

/** The decisions that moved a threshold of `alertname`'s rules, applied after `after`, oldest first. */
export async function thresholdMovesAppliedAfter(
  db: Db,
  alertname: string,
  after: Date,
): Promise<AppliedThresholdMove[]> {
  const rows = await db
    .select({
      decisionId: tuningDecisions.id,
      ruleGroup: tuningDecisions.ruleGroup,
      file: tuningDecisions.file,
      line: tuningDecisions.line,
      thresholdIndex: tuningDecisions.thresholdIndex,
      from: sql<number | null>`(${tuningDecisions.fromValues}->>'threshold')::float8`,
      to: sql<number | null>`(${tuningDecisions.toValues}->>'threshold')::float8`,
      appliedAt: tuningDecisions.appliedAt,
    })
    .from(tuningDecisions)
    .where(and(eq(tuningDecisions.alertname, alertname), gt(tuningDecisions.appliedAt, after)))
    .orderBy(asc(tuningDecisions.appliedAt), asc(tuningDecisions.id));
  return rows.flatMap(({ from, to, appliedAt, ...move }) =>
    from === null || to === null || appliedAt === null ? [] : [{ ...move, from: Number(from), appliedAt }],
  );
}
