import type { DatasourceLookup } from '../../prometheus/datasources.js';
import type { KnownRule } from './known-rules.js';
import type { RecordedIncidentSource } from './recorded-incidents.js';

/**
 * What a rule's baseline and backtest are both asked with, by the HTTP route
 * and by the CLI alike: one shape, so either caller builds it once for both.
 */
export interface RuleEvaluation {
  rule: KnownRule;
  /** The request's JSON; each evaluation validates it against its own schema. */
  body: unknown;
  datasources: DatasourceLookup;
  incidents: RecordedIncidentSource;
  /** Unix seconds: the window ends here. */
  now: number;
  /** The evaluation interval of a rule whose group sets none. */
  defaultIntervalSeconds: number;
  signal?: AbortSignal;
}
