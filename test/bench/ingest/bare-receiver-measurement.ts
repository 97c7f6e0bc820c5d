import { ChildWorker } from './child-worker.js';
import { processCpuMeter, serverCpuMeter } from './cpu-meters.js';
import { withLoadSender } from './load-sender.js';
import { throughput, type Throughput } from './stats.js';
import type { Scenario } from './scenario.js';

export interface BareReceiverOrder {
  url: string;
  /** Pool size: one connection per notification in flight, as the baseline has. */
  concurrency: number;
}

export interface BareReceiverMeasurement extends Throughput {
  /** CPU time of the receiver's process while measured; null without /proc. */
  cpuSeconds: number | null;
  /** CPU time of the database server's processes meanwhile; null when the server is not on this machine. */
  databaseCpuSeconds: number | null;
}

/**
 * The ceiling of any webhook receiver on this machine: the baseline's bare
 * insert behind the least HTTP server Node has (bare-receiver-process.ts),
 * driven by the same load generator as the app. The baseline leaves out HTTP;
 * this leaves out everything but HTTP, so intake's alerts/s can only fall
 * between the two.
 */
export async function measureBareReceiver(url: string, scenario: Scenario): Promise<BareReceiverMeasurement> {
  const receiver = new ChildWorker<BareReceiverOrder, { origin: string }>(
    new URL('./bare-receiver-process.ts', import.meta.url),
  );
  try {
    const { origin } = await receiver.run({ url, concurrency: scenario.concurrency }, scenario.signal);
    const receiverCpu = processCpuMeter(receiver.pid);
    const databaseCpu = await serverCpuMeter(url);
    return await withLoadSender(origin, scenario, async (sendMeasured) => {
      const atStart = { receiver: receiverCpu?.(), database: databaseCpu?.() };
      const load = await sendMeasured();
      return {
        ...throughput(load, scenario.alertCount),
        cpuSeconds: receiverCpu ? receiverCpu() - atStart.receiver! : null,
        databaseCpuSeconds: databaseCpu ? databaseCpu() - atStart.database! : null,
      };
    });
  } finally {
    await receiver.stop();
  }
}
