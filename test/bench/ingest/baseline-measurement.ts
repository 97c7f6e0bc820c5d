import postgres from 'postgres';
import { insertAlerts, openHoldingIncident } from './bare-insert.js';
import { ChildWorker } from './child-worker.js';
import { runLoad } from './load.js';
import { stormNotification } from './payload.js';
import { throughput, type Throughput } from './stats.js';
import { WARM_UP, type Scenario } from './scenario.js';

export interface BaselineOrder {
  url: string;
  scenario: Omit<Scenario, 'signal'>;
}

/** `measureBaseline` in a child process of its own (baseline-process.ts), so it leaves nothing in this one. */
export async function measureBaselineApart(url: string, { signal, ...scenario }: Scenario): Promise<Throughput> {
  const worker = new ChildWorker<BaselineOrder, Throughput>(new URL('./baseline-process.ts', import.meta.url));
  try {
    return await worker.run({ url, scenario }, signal);
  } finally {
    await worker.stop();
  }
}

/**
 * The physical ceiling of intake's design: the same alert rows, written by
 * bare postgres.js with one multi-row INSERT per notification in its own
 * transaction, same counts, same concurrency (one connection per worker).
 * No HTTP, no validation, no incidents, timeline or delivery log.
 */
export async function measureBaseline(url: string, scenario: Scenario): Promise<Throughput> {
  const sql = postgres(url, { max: scenario.concurrency, onnotice: () => {} });
  try {
    const incidentId = await openHoldingIncident(sql);
    const send = (alertCount: number, run: string, count: number) =>
      runLoad({
        items: Array.from({ length: count }, (_, index) => stormNotification({ run, index, alertCount })),
        concurrency: scenario.concurrency,
        signal: scenario.signal,
        deliver: (message) => insertAlerts(sql, incidentId, message),
      });
    await send(WARM_UP.alertCount, `${scenario.run}w`, WARM_UP.notifications);
    return throughput(await send(scenario.alertCount, scenario.run, scenario.notifications), scenario.alertCount);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
