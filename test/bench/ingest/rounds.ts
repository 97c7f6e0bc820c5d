import type { BareReceiverMeasurement } from './bare-receiver-measurement.js';
import type { Throughput } from './stats.js';
import type { WebhookMeasurement } from './webhook-measurement.js';

/*
 * A row is measured in rounds, the webhook and the bare receiver alternating,
 * because this 2-core VM's speed drifts by a fifth within minutes (the same
 * code's 1-alert row measured 1,161–1,432 notifications/s, the bare
 * receiver's 1,795–2,353, six runs in a row): one pass of each, a minute
 * apart, judged the drift as much as the app. Within a round the two run
 * back to back, so their ratio is the round's figure, and the round with the
 * median ratio stands for the row.
 */

export interface Round {
  webhook: WebhookMeasurement;
  /** Real Postgres only, as the bare receiver. */
  baseline: Throughput | null;
  bareReceiver: BareReceiverMeasurement | null;
}

/** Measurements of a round, in the order they run: the webhook first in even rounds, last in odd ones. */
export function roundOrder<T>(round: number, { webhook, others }: { webhook: T; others: T[] }): T[] {
  return round % 2 === 0 ? [webhook, ...others] : [...others.toReversed(), webhook];
}

/** The round's figure: webhook alerts/s over the bare receiver's, or the webhook's alone without one. */
export const roundFigure = ({ webhook, bareReceiver }: Round) =>
  bareReceiver ? webhook.alertsPerSecond / bareReceiver.alertsPerSecond : webhook.alertsPerSecond;

/**
 * The round with the median figure (the lower middle of an even count) stands for the row, except that the app's
 * peak RSS and its slowest latency are the highest of every round, so their targets see all of them.
 */
export function medianRound(rounds: Round[]): Round {
  if (rounds.length === 0) throw new Error('no rounds to take the median of');
  const median = rounds.toSorted((a, b) => roundFigure(a) - roundFigure(b))[Math.ceil(rounds.length / 2) - 1]!;
  const webhooks = rounds.map((r) => r.webhook);
  return {
    ...median,
    webhook: {
      ...median.webhook,
      peakRssBytes: Math.max(...webhooks.map((w) => w.peakRssBytes)),
      latencyMs: { ...median.webhook.latencyMs, max: Math.max(...webhooks.map((w) => w.latencyMs.max)) },
    },
  };
}
