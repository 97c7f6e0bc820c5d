import type { DecisionEventRow, DecisionRow } from '../db/tuning/decision-queries.js';
import type { EvidenceRow } from '../db/tuning/evidence-queries.js';

/** A decision as the API answers it (see the contract in src/http/API.md). */
export type DecisionView = ReturnType<typeof decisionView>;

const evidenceId = (id: number | null, kind: 'baseline' | 'backtest') => (id === null ? null : `${kind}-${id}`);

export function decisionView(
  row: DecisionRow,
  related: { events: DecisionEventRow[]; evidence: Map<number, EvidenceRow | null>; verifyAfter: string },
) {
  const stored = (id: number | null) => {
    const evidence = id === null ? null : related.evidence.get(id);
    return evidence ? (JSON.parse(evidence.resultJson) as Record<string, unknown>) : null;
  };
  return {
    id: row.id,
    alertname: row.alertname,
    group: row.ruleGroup,
    file: row.file,
    line: row.line,
    ruleVersion: row.ruleVersion,
    thresholdIndex: row.thresholdIndex,
    from: row.fromValues,
    to: row.toValues,
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
