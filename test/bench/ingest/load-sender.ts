import { WEBHOOK_TOKEN } from './app-orders.js';
import { ChildWorker } from './child-worker.js';
import type { LoadResult } from './load.js';
import type { LoadOrder } from './load-process.js';
import { WARM_UP, type Scenario } from './scenario.js';

/**
 * Runs `use` with the load generator (load-process.ts, a process of its own)
 * aimed at `hook` and warmed up: `sendMeasured` sends the scenario's
 * notifications and resolves with their timings.
 */
export async function withLoadSender<T>(
  hook: string,
  scenario: Scenario,
  use: (sendMeasured: () => Promise<LoadResult>) => Promise<T>,
): Promise<T> {
  const sender = new ChildWorker<LoadOrder, LoadResult>(new URL('./load-process.ts', import.meta.url));
  try {
    const send = (alertCount: number, run: string, count: number) =>
      sender.run(
        { hook, token: WEBHOOK_TOKEN, run, alertCount, count, concurrency: scenario.concurrency },
        scenario.signal,
      );
    await send(WARM_UP.alertCount, `${scenario.run}w`, WARM_UP.notifications);
    return await use(() => send(scenario.alertCount, scenario.run, scenario.notifications));
  } finally {
    await sender.stop();
  }
}
