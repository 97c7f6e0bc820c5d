import type { Backend } from './scratch-database.js';
import type { BareReceiverMeasurement } from './bare-receiver-measurement.js';
import type { Throughput } from './stats.js';
import type { WebhookMeasurement } from './webhook-measurement.js';

/** One row of the report: a size × concurrency on one backend. */
export interface BenchResult {
  backend: Backend;
  alertCount: number;
  concurrency: number;
  /** Rounds measured (rounds.ts); every figure below is the round of the median ratio (peak RSS, slowest: of all). */
  rounds: number;
  webhook: WebhookMeasurement;
  /** The bare postgres.js insert of the same rows (real Postgres only). */
  baseline: Throughput | null;
  /** Webhook alerts/s over baseline alerts/s (the raw multi-row insert). */
  ratio: number | null;
  /** The bare insert behind a bare HTTP server, driven like the webhook (real Postgres only). */
  bareReceiver: BareReceiverMeasurement | null;
  /** Webhook alerts/s over bare-receiver alerts/s: what the app keeps of what any HTTP receiver could reach. */
  receiverRatio: number | null;
  /** Each round's webhook alerts/s over that round's bare receiver's, in round order: the spread behind the median. */
  receiverRatioByRound: number[] | null;
}
