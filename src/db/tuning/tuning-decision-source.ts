import type { Db } from '../client.js';
import type { TuningDecisionSource } from '../../domain/reports/sections/tuning.js';
import { selectDecisionsTouching } from './decision-queries.js';

/** The weekly report's Tuning section over the tuning_decisions table: every decision recorded, applied or verified in the span. */
export function tuningDecisionsTable(db: Db): TuningDecisionSource {
  return {
    async decisionsTouching(span) {
      return (await selectDecisionsTouching(db, span)).map((row) => ({
        id: row.id,
        alertname: row.alertname,
        ruleLabels: row.ruleLabels,
        status: row.status,
        reason: row.reason,
        recordedAt: row.createdAt,
        appliedAt: row.appliedAt,
        verifiedAt: row.verifiedAt,
        // The notebook's decision page: evidence, patch, predicted versus actual.
        link: `/tuning/${row.id}`,
      }));
    },
  };
}
