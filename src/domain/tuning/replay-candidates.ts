import type { QueryClient } from '../../prometheus/client.js';
import { PrometheusError } from '../../prometheus/errors.js';
import { toDomainError } from '../../prometheus/run-query.js';
import { DomainError } from '../errors.js';
import { backtest, type Backtest, type BacktestWindow, type RuleDefinition } from './backtest.js';
import { formatDuration, formatThreshold } from './format-duration.js';
import type { KnownRule } from './known-rules.js';
import type { RecordedIncident } from './recorded-incidents.js';
import type { Episode } from './replay-alerting-rule.js';
import { missedIncidents, summarizeEpisodes, type EpisodeSummary } from './suggest.js';

/** One definition's replay as the API answers it: figures, episodes, and the acknowledged incidents it would have missed. */
export interface RuleBacktest extends EpisodeSummary {
  definition: RuleDefinition;
  episodes: Episode[];
  heldBack: number;
  /** Acknowledged incidents no episode overlaps: tuning must not silence real problems. */
  missedIncidents: RecordedIncident[];
}

export function currentDefinition(rule: KnownRule): RuleDefinition {
  return { expr: rule.expr, forSeconds: rule.forSeconds, keepFiringForSeconds: rule.keepFiringForSeconds };
}

/** The rule's expression with the literal of one (patchable) threshold replaced by `value`. */
export function exprWithThreshold(rule: KnownRule, thresholdIndex: number, value: number): string {
  const { span } = rule.thresholds[thresholdIndex]!;
  return rule.expr.slice(0, span.from) + formatThreshold(value) + rule.expr.slice(span.to);
}

export function toRuleBacktest(
  definition: RuleDefinition,
  replay: Pick<Backtest, 'episodes' | 'heldBack'>,
  incidents: RecordedIncident[],
  windowEnd: number,
): RuleBacktest {
  return {
    definition,
    ...summarizeEpisodes(replay.episodes, windowEnd),
    episodes: replay.episodes,
    heldBack: replay.heldBack,
    missedIncidents: missedIncidents(incidents, replay.episodes, windowEnd),
  };
}

/** Each definition replayed over the same window (one range query each, run together). */
export async function replayDefinitions(
  client: QueryClient,
  definitions: RuleDefinition[],
  window: BacktestWindow,
  signal?: AbortSignal,
): Promise<Backtest[]> {
  return Promise.all(definitions.map((definition) => backtest(client, definition, window, { signal })));
}

/**
 * The verdict on a candidate in one sentence, as the issue words it: "would have
 * fired 3 times instead of 41 in the last 7d, 0 of 2 acknowledged incidents missed".
 */
export function describeCandidate(
  current: RuleBacktest,
  candidate: RuleBacktest,
  incidents: readonly RecordedIncident[],
  windowSeconds: number,
): string {
  const acknowledged = incidents.filter((incident) => incident.acknowledged).length;
  const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
  return (
    `would have fired ${times(candidate.firings)} instead of ${current.firings} in the last ${formatDuration(windowSeconds)}, ` +
    `${candidate.missedIncidents.length} of ${acknowledged} acknowledged incident${acknowledged === 1 ? '' : 's'} missed`
  );
}

/** Runs Prometheus queries, answering its failures as domain errors: out of reach is a 503, worth a retry. */
export async function askingPrometheus<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    if (error.kind === 'network') throw new DomainError('unavailable', error.message);
    throw toDomainError(error);
  }
}
