import type { DatabaseTarget } from '../../../src/db/client.js';
import { AppUnderTest } from './app-under-test.js';
import { serverCpuMeter } from './cpu-meters.js';
import type { LoadResult } from './load.js';
import { withLoadSender } from './load-sender.js';
import type { ProcessUsage } from './process-usage.js';
import { throughput, type Throughput } from './stats.js';
import { WARM_UP, type Scenario } from './scenario.js';

export interface WebhookMeasurement extends Throughput, ProcessUsage {
  /** The app's RSS once listening, before the first notification. */
  idleRssBytes: number;
  /** CPU time of the database server's processes meanwhile; null when the server is not on this machine. */
  databaseCpuSeconds: number | null;
}

/**
 * Runs the scenario through the real intake: the app in a process of its own
 * (app-under-test.ts) on a loopback ephemeral port, notifications POSTed
 * (keep-alive) by a load generator in another. Latency is from sending the
 * body to reading the answer, which intake sends only after the commit. CPU
 * and RSS are the app process' alone.
 */
export async function measureWebhook(
  target: DatabaseTarget,
  scenario: Scenario,
  profileDir: string | null,
): Promise<WebhookMeasurement> {
  const app = await AppUnderTest.start(target, profileDir);
  try {
    const databaseCpu = await serverCpuMeter(target);
    return await withLoadSender(`${app.origin}/hooks/alertmanager`, scenario, async (sendMeasured) => {
      await app.ask({ kind: 'track' });
      const databaseCpuAtStart = databaseCpu?.();
      let load: LoadResult;
      let used: ProcessUsage;
      try {
        load = await sendMeasured();
      } finally {
        used = await app.ask({ kind: 'usage' });
      }
      const databaseCpuSeconds = databaseCpu ? databaseCpu() - databaseCpuAtStart! : null;
      // Every answer said "stored"; the table must agree, or the figures measured nothing.
      const expected = WARM_UP.notifications * WARM_UP.alertCount + scenario.notifications * scenario.alertCount;
      const stored = await app.ask({ kind: 'count alerts' });
      if (stored !== expected) throw new Error(`expected ${expected} rows in alerts after the run, found ${stored}`);
      return { ...throughput(load, scenario.alertCount), ...used, idleRssBytes: app.idleRssBytes, databaseCpuSeconds };
    });
  } finally {
    await app.stop();
  }
}
