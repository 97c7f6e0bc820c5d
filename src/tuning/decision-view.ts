import type { DecisionEventRow, DecisionRow } from '../db/tuning/decision-queries.js';
import type { EvidenceRow } from '../db/tuning/evidence-queries.js';
import { evidenceIdOf, servedEvidence } from './served-evidence.js';

/** A decision as the API answers it (see the contract in src/http/API.md). */
export type DecisionView = ReturnType<typeof decisionView>;

const evidenceId = (id: number | null, kind: 'baseline' | 'backtest') => (id === null ? null : evidenceIdOf(kind, id));

export function decisionView(
  row: DecisionRow,
  related: { events: DecisionEventRow[]; evidence: Map<number, EvidenceRow | null>; verifyAfter: string },
) {
  // As the baseline or backtest route answered it, evidence id included.
  const stored = (id: number | null) => {
    const evidence = id === null ? null : related.evidence.get(id);
    return evidence
      ? (JSON.parse(servedEvidence(evidenceIdOf(evidence.kind, evidence.id), evidence.resultJson)) as Record<
          string,
          unknown
        >)
      : null;
  };
  return {
    id: row.id,
    alertname: row.alertname,
    group: row.ruleGroup,
    file: row.file,
    line: row.line,
    labels: row.ruleLabels,
    ruleVersion: row.ruleVersion,
    thresholdIndex: row.thresholdIndex,
    // In the contract's key order (jsonb keeps its own).
    from: {
      threshold: row.fromValues.threshold,
      operator: row.fromValues.operator,
      for: row.fromValues.for,
      keepFiringFor: row.fromValues.keepFiringFor,
      expr: row.fromValues.expr,
    },
    to: {
      threshold: row.toValues.threshold,
      for: row.toValues.for,
      keepFiringFor: row.toValues.keepFiringFor,
      expr: row.toValues.expr,
    },
    reason: row.reason,
    actor: row.actor,
    incidentId: row.incidentId,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    appliedAt: row.appliedAt?.toISOString() ?? null,
    appliedRuleVersion: row.appliedRuleVersion,
    verifyAfter: related.verifyAfter,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    verification: row.verification,
    evidence: {
      baselineId: evidenceId(row.baselineId, 'baseline'),
      backtestId: evidenceId(row.backtestId, 'backtest'),
      baseline: stored(row.baselineId),
      backtest: stored(row.backtestId),
    },
    events: related.events.map((event) => ({
      status: event.status,
      at: event.at.toISOString(),
      actor: event.actor,
      detail: event.detail,
    })),
  };
}
