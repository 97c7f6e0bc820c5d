import { ChildWorker } from './child-worker.js';
import { withLoadSender } from './load-sender.js';
import { throughput, type Throughput } from './stats.js';
import type { Scenario } from './scenario.js';

export interface BareReceiverOrder {
  url: string;
  /** Pool size: one connection per notification in flight, as the baseline has. */
  concurrency: number;
}

/**
 * The ceiling of any webhook receiver on this machine: the baseline's bare
 * insert behind the least HTTP server Node has (bare-receiver-process.ts),
 * driven by the same load generator as the app. The baseline leaves out HTTP;
 * this leaves out everything but HTTP, so intake's alerts/s can only fall
 * between the two.
 */
export async function measureBareReceiver(url: string, scenario: Scenario): Promise<Throughput> {
  const receiver = new ChildWorker<BareReceiverOrder, { origin: string }>(
    new URL('./bare-receiver-process.ts', import.meta.url),
  );
  try {
    const { origin } = await receiver.run({ url, concurrency: scenario.concurrency }, scenario.signal);
    return await withLoadSender(origin, scenario, async (sendMeasured) =>
      throughput(await sendMeasured(), scenario.alertCount),
    );
  } finally {
    await receiver.stop();
  }
}
