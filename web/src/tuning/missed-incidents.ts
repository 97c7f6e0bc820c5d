import type { BacktestAnswer, RuleBacktest } from './types.js';

/** An incident Alertbook recorded for the alert that a candidate would not have fired for. */
export interface MissedIncident {
  id: number | string;
}

/**
 * The missed incidents of one backtested definition, or null when the answer
 * does not list them (a server without recorded incidents for backtests):
 * "unknown" must never read as "none".
 */
export function missedIncidentsOf(backtest: RuleBacktest | undefined): MissedIncident[] | null {
  const missed = (backtest as { missedIncidents?: unknown } | undefined)?.missedIncidents;
  return Array.isArray(missed) ? (missed as MissedIncident[]) : null;
}

/** The incidents recorded for the alert in the backtest's window, when the answer says. */
export function recordedIncidentsOf(answer: BacktestAnswer): { count: number; acknowledged: number } | null {
  const incidents = (answer as { incidents?: { count?: unknown; acknowledged?: unknown } }).incidents;
  return typeof incidents?.count === 'number' && typeof incidents.acknowledged === 'number'
    ? { count: incidents.count, acknowledged: incidents.acknowledged }
    : null;
}
