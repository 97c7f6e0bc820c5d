/**
 * The tuning API's answers as the notebook receives them. Rules, baselines and
 * backtests are derived from the server's own result types (type-only imports,
 * erased from the bundle), decisions from the server's decision view.
 */
import type { Json } from '../api/types.js';
import type { backtestRule } from '../../../src/domain/tuning/backtest-rule.js';
import type { baselineRule } from '../../../src/domain/tuning/baseline-rule.js';
import type { KnownRule } from '../../../src/domain/tuning/known-rules.js';
import type { TuningValues } from '../../../src/db/schema/tuning.js';
import type { Verification } from '../../../src/domain/tuning/decisions/verification.js';
import type { DecisionView } from '../../../src/tuning/decision-view.js';

/** Stored evidence answers carry an opaque id a decision cites. */
interface Evidence {
  id?: string | number;
}

export type RuleView = Json<KnownRule>;
export type RuleThreshold = RuleView['thresholds'][number];
export type BaselineAnswer = Json<Awaited<ReturnType<typeof baselineRule>>> & Evidence;
export type BacktestAnswer = Json<Awaited<ReturnType<typeof backtestRule>>> & Evidence;
export type RuleBacktest = BacktestAnswer['current'];
export type Episode = RuleBacktest['episodes'][number];

type ServedDecision = Json<DecisionView>;
export type DecisionStatus = ServedDecision['status'];
/** The values a decision changes from (the rule's, with its operator) and to. */
export type DecisionValues = TuningValues & { operator?: string | null };
export type DecisionVerification = Verification;

/** A decision as answered; its stored evidence typed as the answers it was made on. */
export type TuningDecision = Omit<ServedDecision, 'evidence' | 'verification'> & {
  verification: DecisionVerification | null;
  evidence: Omit<ServedDecision['evidence'], 'baseline' | 'backtest'> & {
    baseline: BaselineAnswer | null;
    backtest: BacktestAnswer | null;
  };
};
