/**
 * The tuning API's answers as the notebook receives them. Rules, baselines and
 * backtests are derived from the server's own result types (type-only imports,
 * erased from the bundle); decisions follow the decisions contract
 * (`src/http/API.md`, "Tuning decisions").
 */
import type { Json } from '../api/types.js';
import type { backtestRule } from '../../../src/domain/tuning/backtest-rule.js';
import type { baselineRule } from '../../../src/domain/tuning/baseline-rule.js';
import type { KnownRule } from '../../../src/domain/tuning/known-rules.js';

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

export type DecisionStatus = 'proposed' | 'applied' | 'verified' | 'rejected' | 'superseded';

export interface DecisionValues {
  threshold: number | null;
  operator?: string | null;
  for: string | null;
  keepFiringFor: string | null;
  expr: string | null;
}

export interface DecisionVerification {
  predicted: { episodes: number; firingSeconds: number };
  actual: { firings: number; incidents: number };
  before: { firings: number; incidents: number };
  window: { from: string; to: string };
}

export interface TuningDecision {
  id: number;
  alertname: string;
  group: string;
  file: string;
  line: number;
  ruleVersion: string;
  thresholdIndex: number;
  from: DecisionValues;
  to: DecisionValues;
  reason: string;
  actor: string;
  incidentId: number | null;
  status: DecisionStatus;
  createdAt: string;
  appliedAt: string | null;
  appliedRuleVersion: string | null;
  verifyAfter: string;
  verifiedAt: string | null;
  verification: DecisionVerification | null;
  evidence: {
    baselineId: string | number | null;
    backtestId: string | number | null;
    baseline: BaselineAnswer | null;
    backtest: BacktestAnswer | null;
  };
  events: { status: DecisionStatus; at: string; actor: string; detail: string | null }[];
}
