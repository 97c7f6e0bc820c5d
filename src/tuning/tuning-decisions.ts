import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { countOccurrencesOf, historyStart } from '../db/reports/report-queries.js';
import { timelineEvents } from '../db/schema/index.js';
import { countIncidentsOf } from '../db/tuning/incident-counts.js';
import {
  insertDecision,
  lockDecision,
  lockOpenProposals,
  moveDecision,
  appendEvent,
  selectDecisions,
  selectEvents,
  type DecisionRow,
} from '../db/tuning/decision-queries.js';
import { insertEvidence, selectEvidence } from '../db/tuning/evidence-queries.js';
import type { Clock } from '../domain/clock.js';
import { historyCoverage } from '../domain/history-coverage.js';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { IncidentBus } from '../domain/incident-bus.js';
import { assertIncidentExists } from '../domain/incidents/write-context.js';
import {
  decisionValues,
  EVIDENCE_ID,
  evidenceRowId,
  parseDecisionRequest,
} from '../domain/tuning/decisions/decision-request.js';
import { assertCanMove, canMove } from '../domain/tuning/decisions/decision-status.js';
import { ruleHoldingTo } from '../domain/tuning/decisions/rule-matches.js';
import {
  decidedDefinition,
  isDue,
  predicted,
  verificationSpans,
  type StoredBacktest,
  type Verification,
} from '../domain/tuning/decisions/verification.js';
import { formatDuration } from '../domain/tuning/format-duration.js';
import { patchRuleFile } from '../domain/tuning/patch-rule-file.js';
import { findRule, type KnownRule } from '../domain/tuning/known-rules.js';
import type { Logger } from '../logger.js';
import { parsePrometheusDuration } from '../prometheus/duration.js';
import { z } from 'zod';
import { validate } from '../domain/validate.js';
import { decisionView, type DecisionView } from './decision-view.js';
import { evidenceIdOf, servedEvidence } from './served-evidence.js';

/** Who moves decisions the service moves by itself (applied, verified, superseded). */
export const TUNING_ACTOR = 'alertbook';

export interface TuningContext {
  db: Db;
  clock: Clock;
  bus: IncidentBus;
  rules: { list(): readonly KnownRule[]; read(file: string): Promise<string | null> };
  logger: Pick<Logger, 'info' | 'error'>;
}

const STATUSES = ['proposed', 'applied', 'verified', 'rejected', 'superseded'] as const;
const listFilter = z.object({ alertname: z.string().min(1).optional(), status: z.enum(STATUSES).optional() });
const rejection = z.object({
  status: z.literal('rejected', { error: 'only "rejected" can be set by hand' }),
  reason: z.string().trim().min(1, 'must not be empty').max(20_000),
});

/**
 * Threshold-tuning decisions and their evidence in Postgres: recorded through
 * the API, applied when a loaded rule file holds their to-values, verified
 * once `verifyAfter` has passed. Every status change is an appended event.
 */
export class TuningDecisions {
  constructor(private readonly ctx: TuningContext) {}

  /** Stores a baseline or backtest answer; returns the answer as served, its evidence id first. */
  async storeEvidence(kind: 'baseline' | 'backtest', rule: KnownRule, actor: string, result: object): Promise<string> {
    const resultJson = JSON.stringify(result);
    const id = await insertEvidence(this.ctx.db, {
      kind,
      alertname: rule.alertname,
      ruleGroup: rule.group,
      file: rule.file,
      ruleVersion: rule.version,
      resultJson,
      createdBy: actor,
      createdAt: this.ctx.clock(),
    });
    return servedEvidence(evidenceIdOf(kind, id), resultJson);
  }

  /** A stored baseline or backtest as it was answered (404 unknown). */
  async evidence(id: string): Promise<string> {
    const match = EVIDENCE_ID.exec(id);
    const row = match ? await selectEvidence(this.ctx.db, Number(match[2])) : null;
    if (!row || row.kind !== match![1]) throw new NotFoundError(`evidence "${id}"`);
    return servedEvidence(id, row.resultJson);
  }

  async create(body: unknown, actor: string): Promise<DecisionView> {
    const request = parseDecisionRequest(body);
    const rule = findRule(this.ctx.rules.list(), request.alertname, {
      group: request.group,
      file: request.file,
      line: request.line,
    });
    const { from, to } = decisionValues(rule, request);
    const baselineId = await this.evidenceId('baselineId', request.evidence.baselineId);
    const backtestId = await this.evidenceId('backtestId', request.evidence.backtestId);
    const at = this.ctx.clock();
    const id = await this.ctx.db.transaction(async (tx) => {
      if (request.incidentId !== undefined) {
        // A body naming a missing incident is the client's mistake (400), not a missing route resource (404).
        await assertIncidentExists(tx, request.incidentId).catch((error: unknown) => {
          throw error instanceof NotFoundError
            ? new ValidationError('incidentId', `no incident ${request.incidentId}`)
            : error;
        });
      }
      const key = {
        alertname: rule.alertname,
        ruleGroup: rule.group,
        file: rule.file,
        line: rule.line,
        thresholdIndex: request.thresholdIndex,
      };
      // One decision at a time per rule and threshold: two racing proposals do not both stay open.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify(key)}, 0))`);
      const open = await lockOpenProposals(tx, key);
      const decision = await insertDecision(tx, {
        ...key,
        ruleLabels: staticLabels(rule.labels),
        ruleVersion: rule.version,
        fromValues: from,
        toValues: to,
        reason: request.reason,
        actor,
        incidentId: request.incidentId ?? null,
        status: 'proposed',
        createdAt: at,
        verifyAfterSeconds: parsePrometheusDuration(request.verifyAfter)!,
        baselineId,
        backtestId,
      });
      await appendEvent(tx, { id: decision.id, status: 'proposed', at, actor, detail: null });
      for (const superseded of open) {
        await moveDecision(tx, {
          id: superseded.id,
          status: 'superseded',
          at,
          actor,
          detail: { supersededBy: decision.id },
        });
      }
      await this.onTimeline(tx, decision, 'tuning.proposed', at, actor);
      return decision.id;
    });
    if (request.incidentId !== undefined)
      this.ctx.bus.publish({ incidentId: request.incidentId, types: ['tuning.proposed'] });
    return this.get(id);
  }

  async list(query: Record<string, string>): Promise<DecisionView[]> {
    return this.views(await selectDecisions(this.ctx.db, validate(listFilter, query)));
  }

  async get(id: number): Promise<DecisionView> {
    const [view] = await this.views(await selectDecisions(this.ctx.db, { ids: [id] }));
    if (!view) throw new NotFoundError(`decision ${id}`);
    return view;
  }

  /** By hand, a proposal can only be rejected (409 once it moved on). */
  async reject(id: number, body: unknown, actor: string): Promise<DecisionView> {
    const { reason } = validate(rejection, body);
    await this.ctx.db.transaction(async (tx) => {
      const decision = await lockDecision(tx, id);
      if (!decision) throw new NotFoundError(`decision ${id}`);
      assertCanMove(id, decision.status, 'rejected');
      await moveDecision(tx, { id, status: 'rejected', at: this.ctx.clock(), actor, detail: { reason } });
    });
    return this.get(id);
  }

  /**
   * After every rule (re)load: each proposal whose rule now holds its
   * to-values is applied, with the rule's version and the time.
   */
  async rulesLoaded(rules: readonly KnownRule[]): Promise<number> {
    let applied = 0;
    for (const proposal of await selectDecisions(this.ctx.db, { status: 'proposed' })) {
      const rule = ruleHoldingTo(rules, proposal);
      if (!rule) continue;
      const at = this.ctx.clock();
      const moved = await this.moveIfStillPossible(
        proposal.id,
        {
          status: 'applied',
          at,
          actor: TUNING_ACTOR,
          detail: { ruleVersion: rule.version },
          set: { appliedAt: at, appliedRuleVersion: rule.version },
        },
        (tx, decision) => this.onTimeline(tx, decision, 'tuning.applied', at, TUNING_ACTOR),
      );
      if (!moved) continue;
      applied++;
      this.ctx.logger.info('tuning decision applied', { decision: proposal.id, alertname: proposal.alertname });
      if (proposal.incidentId !== null)
        this.ctx.bus.publish({ incidentId: proposal.incidentId, types: ['tuning.applied'] });
    }
    return applied;
  }

  /**
   * Verifies every applied decision whose `verifyAfter` has passed: firings and
   * incidents in the window after it was applied, the same length before, and
   * what its backtest predicted. Called by a timer (startVerification) and by tests.
   */
  async verifyDue(): Promise<number> {
    const now = this.ctx.clock();
    let verified = 0;
    for (const decision of await selectDecisions(this.ctx.db, { status: 'applied' })) {
      if (!decision.appliedAt || !isDue(decision.appliedAt, decision.verifyAfterSeconds, now)) continue;
      const verification = await this.verification(decision, decision.appliedAt);
      const moved = await this.moveIfStillPossible(decision.id, {
        status: 'verified',
        at: now,
        actor: TUNING_ACTOR,
        detail: null,
        set: { verifiedAt: now, verification: { ...verification } },
      });
      if (moved) verified++;
    }
    return verified;
  }

  /**
   * The rule-file change the decision asks for, as a unified diff of the file
   * as it is now: re-based when the rule changed elsewhere, a 409
   * `rule_changed` when a field it touches no longer holds the from-value.
   * Empty when the file already holds the to-values.
   */
  async patch(id: number): Promise<string> {
    const [decision] = await selectDecisions(this.ctx.db, { ids: [id] });
    if (!decision) throw new NotFoundError(`decision ${id}`);
    if (decision.status === 'rejected' || decision.status === 'superseded')
      throw new ConflictError(`decision ${id} is ${decision.status}: there is nothing to patch`);
    const content = await this.ctx.rules.read(decision.file);
    if (content === null) throw new DomainError('rule_changed', `the rule file "${decision.file}" is gone`);
    const { fromValues: from, toValues: to } = decision;
    const seconds = (text: string | null) => (text === null ? undefined : parsePrometheusDuration(text)!);
    const outcome = patchRuleFile(
      { path: decision.file, content },
      {
        group: decision.ruleGroup,
        alert: decision.alertname,
        line: decision.line,
        base: {
          expr: from.expr,
          forSeconds: seconds(from.for) ?? 0,
          keepFiringForSeconds: seconds(from.keepFiringFor) ?? 0,
        },
      },
      {
        thresholdIndex: decision.thresholdIndex,
        threshold: to.threshold ?? undefined,
        forSeconds: seconds(to.for),
        keepFiringForSeconds: seconds(to.keepFiringFor),
        expr: to.expr ?? undefined,
      },
    );
    if (outcome.kind === 'conflict')
      throw new DomainError('rule_changed', outcome.reason, undefined, { decisionId: id });
    return outcome.kind === 'patched' ? outcome.diff : '';
  }

  private async verification(decision: DecisionRow, appliedAt: Date): Promise<Verification> {
    const { after, before } = verificationSpans(appliedAt, decision.verifyAfterSeconds);
    const observe = async (span: typeof after) => ({
      firings: await countOccurrencesOf(this.ctx.db, span, decision.alertname, decision.ruleLabels),
      incidents: await countIncidentsOf(this.ctx.db, span, decision.alertname, decision.ruleLabels),
    });
    const backtest = decision.backtestId === null ? null : await selectEvidence(this.ctx.db, decision.backtestId);
    return {
      predicted: backtest
        ? predicted(
            JSON.parse(backtest.resultJson) as StoredBacktest,
            decidedDefinition(decision.fromValues, decision.thresholdIndex, decision.toValues),
            decision.verifyAfterSeconds,
          )
        : null,
      actual: await observe(after),
      before: await observe(before),
      beforeRecorded: historyCoverage(before, await historyStart(this.ctx.db)),
      window: { from: after.from.toISOString(), to: after.to.toISOString() },
    };
  }

  /** Moves a decision if it still can (another replica may have moved it since it was read): false when it cannot. */
  private moveIfStillPossible(
    id: number,
    move: Omit<Parameters<typeof moveDecision>[1], 'id'>,
    alsoInTransaction?: (tx: Tx, decision: DecisionRow) => Promise<void>,
  ): Promise<boolean> {
    return this.ctx.db.transaction(async (tx) => {
      const decision = await lockDecision(tx, id);
      if (!decision || !canMove(decision.status, move.status)) return false;
      await moveDecision(tx, { id, ...move });
      await alsoInTransaction?.(tx, decision);
      return true;
    });
  }

  private async evidenceId(field: 'baselineId' | 'backtestId', id: string | undefined): Promise<number | null> {
    if (id === undefined) return null;
    const rowId = evidenceRowId(field, id);
    const row = await selectEvidence(this.ctx.db, rowId);
    if (!row || row.kind !== (field === 'baselineId' ? 'baseline' : 'backtest'))
      throw new ValidationError(`evidence.${field}`, `no stored evidence "${id}"`);
    return rowId;
  }

  /** A decision made from an incident shows on its timeline. */
  private async onTimeline(tx: Tx, decision: DecisionRow, type: string, at: Date, actor: string): Promise<void> {
    if (decision.incidentId === null) return;
    await tx.insert(timelineEvents).values({
      incidentId: decision.incidentId,
      type,
      at,
      actor,
      data: {
        decisionId: decision.id,
        alertname: decision.alertname,
        from: decision.fromValues,
        to: decision.toValues,
        reason: decision.reason,
      },
    });
  }

  private async views(rows: DecisionRow[]): Promise<DecisionView[]> {
    const events = await selectEvents(
      this.ctx.db,
      rows.map((row) => row.id),
    );
    const evidenceIds = [...new Set(rows.flatMap((row) => [row.baselineId, row.backtestId]))].filter(
      (id): id is number => id !== null,
    );
    const evidence = new Map(
      await Promise.all(evidenceIds.map(async (id) => [id, await selectEvidence(this.ctx.db, id)] as const)),
    );
    return rows.map((row) =>
      decisionView(row, {
        events: events.filter((event) => event.decisionId === row.id),
        evidence,
        verifyAfter: formatDuration(row.verifyAfterSeconds),
      }),
    );
  }
}

/** The labels a rule sets on every alert as written: a templated value (`{{ … }}`) varies, so it is left out. */
function staticLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => !value.includes('{{')));
}
