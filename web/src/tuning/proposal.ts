import { parsePrometheusDuration } from '../../../src/prometheus/duration.js';
import type { RuleView } from './types.js';

/** What the tune panel proposes for one threshold of a rule: a value, a `for` and a `keep_firing_for`, as typed. */
export interface Proposal {
  thresholdIndex: number;
  threshold: number | null;
  for: string;
  keepFiringFor: string;
}

export interface BacktestCandidate {
  thresholdIndex: number;
  threshold?: number;
  for?: string;
  keepFiringFor?: string;
}

export type ProposedChange = { threshold?: number; for?: string; keepFiringFor?: string };

/**
 * The decision's `to`: only what differs from the rule as it is (a duration
 * spelled differently but equal, `300s` for `5m`, is no change). Null when the
 * proposal changes nothing, or when `for` or `keep_firing_for` is not a duration.
 */
export function proposedChange(rule: RuleView, proposal: Proposal): ProposedChange | null {
  const current = rule.thresholds[proposal.thresholdIndex]?.value;
  const forSeconds = parsePrometheusDuration(proposal.for.trim());
  const keepFiringForSeconds = parsePrometheusDuration(proposal.keepFiringFor.trim());
  if (forSeconds === null || keepFiringForSeconds === null) return null;
  const change = {
    ...(proposal.threshold !== null && proposal.threshold !== current && { threshold: proposal.threshold }),
    ...(forSeconds !== rule.forSeconds && { for: proposal.for.trim() }),
    ...(keepFiringForSeconds !== rule.keepFiringForSeconds && { keepFiringFor: proposal.keepFiringFor.trim() }),
  };
  return Object.keys(change).length ? change : null;
}

/**
 * The backtest's candidates: the suggestion (threshold and `for`, when there is
 * one) and the proposal, with where each lands in the answer's `candidates`.
 */
export function backtestCandidates(
  proposal: Proposal,
  suggested: { threshold: number; for: string } | null,
): { candidates: BacktestCandidate[]; suggestedAt: number | null; proposedAt: number } {
  const proposed: BacktestCandidate = {
    thresholdIndex: proposal.thresholdIndex,
    ...(proposal.threshold !== null && { threshold: proposal.threshold }),
    ...(proposal.for.trim() && { for: proposal.for.trim() }),
    ...(proposal.keepFiringFor.trim() && { keepFiringFor: proposal.keepFiringFor.trim() }),
  };
  if (suggested === null) return { candidates: [proposed], suggestedAt: null, proposedAt: 0 };
  return {
    candidates: [{ thresholdIndex: proposal.thresholdIndex, ...suggested }, proposed],
    suggestedAt: 0,
    proposedAt: 1,
  };
}
