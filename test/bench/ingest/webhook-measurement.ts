import { AppUnderTest } from './app-under-test.js';
import { WEBHOOK_TOKEN } from './app-orders.js';
import { ChildWorker } from './child-worker.js';
import type { LoadResult } from './load.js';
import type { LoadOrder } from './load-process.js';
import type { ProcessUsage } from './process-usage.js';
import { throughput, type Throughput } from './stats.js';
import { WARM_UP, type Scenario } from './scenario.js';

export interface WebhookMeasurement extends Throughput, ProcessUsage {
  /** The app's RSS once listening, before the first notification. */
  idleRssBytes: number;
}

/**
 * Runs the scenario through the real intake: the app in a process of its own
 * (app-under-test.ts) on a loopback ephemeral port, notifications POSTed
 * (keep-alive) by a load generator in another. Latency is from sending the
 * body to reading the answer, which intake sends only after the commit. CPU
 * and RSS are the app process' alone.
 */
export async function measureWebhook(databaseUrl: string | null, scenario: Scenario, profileDir: string | null): Promise<WebhookMeasurement> {
  const app = await AppUnderTest.start(databaseUrl, profileDir);
  const sender = new ChildWorker<LoadOrder, LoadResult>(new URL('./load-process.ts', import.meta.url));
  try {
    const hook = `${app.origin}/hooks/alertmanager`;
    const send = (alertCount: number, run: string, count: number) =>
      sender.run({ hook, token: WEBHOOK_TOKEN, run, alertCount, count, concurrency: scenario.concurrency }, scenario.signal);
    await send(WARM_UP.alertCount, `${scenario.run}w`, WARM_UP.notifications);

    await app.ask({ kind: 'track' });
    let load: LoadResult;
    let used: ProcessUsage;
    try {
      load = await send(scenario.alertCount, scenario.run, scenario.notifications);
    } finally {
      used = await app.ask({ kind: 'usage' });
    }
    // Every answer said "stored"; the table must agree, or the figures measured nothing.
    const expected = WARM_UP.notifications * WARM_UP.alertCount + scenario.notifications * scenario.alertCount;
    const stored = await app.ask({ kind: 'count alerts' });
    if (stored !== expected) throw new Error(`expected ${expected} rows in alerts after the run, found ${stored}`);
    return { ...throughput(load, scenario.alertCount), ...used, idleRssBytes: app.idleRssBytes };
  } finally {
    await sender.stop();
    await app.stop();
  }
}
