import type { Db } from '../../../db/client.js';
import { countOccurrencesOf } from '../../../db/reports/report-queries.js';
import { figure, occurrencesQuery, type Figure, type Span } from '../figure.js';

/**
 * A threshold-tuning decision as the report needs it. Decisions are recorded
 * in tuning_decisions (src/db/tuning/tuning-decision-source.ts reads them); this is the seam.
 */
export interface TuningDecision {
  id: number;
  alertname: string;
  /** The rule's static labels when decided (severity): its firings, not its pair's. `{}`: the alertname's. */
  ruleLabels: Record<string, string>;
  status: 'proposed' | 'applied' | 'verified' | 'rejected' | 'superseded';
  reason: string;
  recordedAt: Date;
  appliedAt: Date | null;
  verifiedAt: Date | null;
  /** Where the decision is shown (API or notebook path). */
  link: string;
}

/** Where the report reads decisions from: every decision recorded, applied or verified in [from, to). */
export interface TuningDecisionSource {
  decisionsTouching(span: Span): Promise<TuningDecision[]>;
}

export const TUNING_DEFINITIONS = {
  decisions:
    'Decisions: threshold-tuning decisions recorded, applied (the rule file changed to match) and verified in the period.',
  effect:
    'Effect: for every decision applied in the 8 weeks before the period ended, occurrences of its rule (its alertname, carrying ' +
    "the rule's static labels such as severity, so one rule of a warning/critical pair) per week over the " +
    "4 weeks before it was applied — fewer when Alertbook's history began within them, none (no rate) when it began after — " +
    'versus the time from its application to the end of the period.',
  recommendations:
    'Recommended for tuning: alertnames with self-resolving incidents or flapping fingerprints this period (see Noise), ' +
    'with the evidence and a link to the tune panel of the most recent incident.',
};

const WEEK_MS = 7 * 86_400_000;
const EFFECT_LOOKBACK_WEEKS = 8;
const BEFORE_WEEKS = 4;

export interface TuningEffect {
  decisionId: number;
  alertname: string;
  appliedAt: string;
  firingsBefore: Figure;
  /** 4, or less when Alertbook's history began within those 4 weeks (0 when after them). */
  weeksBefore: number;
  firingsAfter: Figure;
  weeksAfter: number;
  /** Null when there is no history before the decision applied. */
  perWeekBefore: number | null;
  perWeekAfter: number | null;
}

export interface TuningRecommendation {
  alertname: string;
  evidence: string;
  /** Opens the tune panel on the most recent incident of this alertname. */
  link: string;
}

export interface TuningSection {
  /** Always true now that decisions are recorded; reports stored before that say false. */
  decisionsAvailable: boolean;
  recorded: TuningDecision[];
  applied: TuningDecision[];
  verified: TuningDecision[];
  effects: TuningEffect[];
  recommendations: TuningRecommendation[];
}

/** The occurrence list's filter for a decision's rule: its alertname, and its static labels when it has any. */
function ruleFilter(d: TuningDecision): Record<string, string> {
  return Object.keys(d.ruleLabels).length === 0
    ? { alertname: d.alertname }
    : { alertname: d.alertname, labels: JSON.stringify(d.ruleLabels) };
}

function within(at: Date | null, span: Span): boolean {
  return at !== null && at >= span.from && at < span.to;
}

/** `historyFrom`: when Alertbook stored its first alert (src/domain/history-coverage.ts); the weeks before it count nothing. */
export async function buildTuning(
  db: Db,
  span: Span,
  source: TuningDecisionSource,
  recommendations: TuningRecommendation[],
  historyFrom: Date | null,
): Promise<TuningSection> {
  const lookback = { from: new Date(span.to.getTime() - EFFECT_LOOKBACK_WEEKS * WEEK_MS), to: span.to };
  const decisions = await source.decisionsTouching(lookback);
  const effects = await Promise.all(
    decisions
      .filter((d) => within(d.appliedAt, lookback))
      .map(async (d): Promise<TuningEffect> => {
        // Weeks Alertbook did not record would count as weeks without a firing, and make any decision look effective.
        const recordedFrom = Math.min(historyFrom?.getTime() ?? Number.POSITIVE_INFINITY, d.appliedAt!.getTime());
        const from = Math.max(d.appliedAt!.getTime() - BEFORE_WEEKS * WEEK_MS, recordedFrom);
        const before = { from: new Date(from), to: d.appliedAt! };
        const weeksBefore = (before.to.getTime() - before.from.getTime()) / WEEK_MS;
        const after = { from: d.appliedAt!, to: span.to };
        const [firingsBefore, firingsAfter] = await Promise.all([
          countOccurrencesOf(db, before, d.alertname, d.ruleLabels),
          countOccurrencesOf(db, after, d.alertname, d.ruleLabels),
        ]);
        const weeksAfter = (after.to.getTime() - after.from.getTime()) / WEEK_MS;
        return {
          decisionId: d.id,
          alertname: d.alertname,
          appliedAt: d.appliedAt!.toISOString(),
          firingsBefore: figure(firingsBefore, 'count', occurrencesQuery(before, ruleFilter(d))),
          weeksBefore,
          firingsAfter: figure(firingsAfter, 'count', occurrencesQuery(after, ruleFilter(d))),
          weeksAfter,
          perWeekBefore: weeksBefore > 0 ? firingsBefore / weeksBefore : null,
          perWeekAfter: weeksAfter > 0 ? firingsAfter / weeksAfter : null,
        };
      }),
  );
  return {
    decisionsAvailable: true,
    recorded: decisions.filter((d) => within(d.recordedAt, span)),
    applied: decisions.filter((d) => within(d.appliedAt, span)),
    verified: decisions.filter((d) => within(d.verifiedAt, span)),
    effects,
    recommendations,
  };
}
