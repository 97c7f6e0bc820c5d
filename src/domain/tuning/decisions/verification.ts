import type { TuningValues } from '../../../db/schema/tuning.js';
import type { HistoryCoverage } from '../../history-coverage.js';
import { parsePrometheusDuration } from '../../../prometheus/duration.js';
import { extractThresholds } from '../extract-thresholds.js';
import { formatThreshold } from '../format-duration.js';
import type { FromValues } from './decision-request.js';

export interface Span {
  from: Date;
  to: Date;
}

/** Alert occurrences (firings) and incidents of the alertname in a span. */
export interface Observed {
  firings: number;
  incidents: number;
}

export interface Verification {
  /** The backtest's figures for the decided definition, scaled to the window's length; null without a matching backtest. */
  predicted: { episodes: number; firingSeconds: number } | null;
  actual: Observed;
  before: Observed;
  /**
   * How much of the "before" window Alertbook recorded: with `part` or `none` its counts are low for want of history,
   * not because the alert was quiet. Absent from verifications stored before it was added.
   */
  beforeRecorded?: HistoryCoverage;
  window: { from: string; to: string };
}

/** The rule's definition once the decision is applied. */
export interface Definition {
  expr: string;
  forSeconds: number;
  keepFiringForSeconds: number;
}

/** The verification window starts when the decision was applied and lasts verifyAfter; "before" is as long, just before. */
export function verificationSpans(appliedAt: Date, verifyAfterSeconds: number): { after: Span; before: Span } {
  const length = verifyAfterSeconds * 1000;
  return {
    after: { from: appliedAt, to: new Date(appliedAt.getTime() + length) },
    before: { from: new Date(appliedAt.getTime() - length), to: appliedAt },
  };
}

export function isDue(appliedAt: Date, verifyAfterSeconds: number, now: Date): boolean {
  return verificationSpans(appliedAt, verifyAfterSeconds).after.to.getTime() <= now.getTime();
}

const seconds = (text: string | null, otherwise: number) =>
  text === null ? otherwise : parsePrometheusDuration(text)!;

/** What the rule evaluates once the to-values are written into the from-values. */
export function decidedDefinition(from: FromValues, thresholdIndex: number, to: TuningValues): Definition {
  let expr = to.expr ?? from.expr;
  if (to.threshold !== null) {
    const { span } = extractThresholds(from.expr).thresholds[thresholdIndex]!;
    expr = from.expr.slice(0, span.from) + formatThreshold(to.threshold) + from.expr.slice(span.to);
  }
  return {
    expr,
    forSeconds: seconds(to.for, seconds(from.for, 0)),
    keepFiringForSeconds: seconds(to.keepFiringFor, seconds(from.keepFiringFor, 0)),
  };
}

/** The part of a stored backtest answer the prediction reads. */
export interface StoredBacktest {
  window: { start: number; end: number };
  current: BacktestFigures;
  candidates: BacktestFigures[];
}

interface BacktestFigures {
  definition: Definition;
  firings: number;
  timeFiring: number;
}

/**
 * The backtest's figures for the definition the decision made (the current
 * rule or one of the candidates), per the verification window's length: a 7 d
 * backtest predicts a 7 d window as it is, a 14 d window twice over.
 */
export function predicted(
  backtest: StoredBacktest,
  definition: Definition,
  windowSeconds: number,
): Verification['predicted'] {
  const same = [backtest.current, ...backtest.candidates].find(
    (run) =>
      run.definition.expr.trim() === definition.expr.trim() &&
      run.definition.forSeconds === definition.forSeconds &&
      run.definition.keepFiringForSeconds === definition.keepFiringForSeconds,
  );
  const backtestSeconds = backtest.window.end - backtest.window.start;
  if (!same || backtestSeconds <= 0) return null;
  const scale = windowSeconds / backtestSeconds;
  const round = (value: number) => Math.round(value * 100) / 100;
  return { episodes: round(same.firings * scale), firingSeconds: round(same.timeFiring * scale) };
}
