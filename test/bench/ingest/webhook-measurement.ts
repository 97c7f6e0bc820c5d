import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { rowsOf, type Database } from '../../../src/db/client.js';
import { createLogger } from '../../../src/logger.js';
import { trackProcessUsage, type ProcessUsage } from './process-usage.js';
import { ChildWorker } from './child-worker.js';
import type { LoadResult } from './load.js';
import type { LoadOrder } from './load-process.js';
import { throughput, type Throughput } from './stats.js';
import { WARM_UP, type Scenario } from './scenario.js';

export interface WebhookMeasurement extends Throughput, ProcessUsage {}

const WEBHOOK_TOKEN = 'bench-webhook-token';
// As main.ts: longer than a sender's pause between notifications, so the server
// does not close a keep-alive socket the sender is about to reuse (ECONNRESET).
const IDLE_SOCKET_MS = 120_000;

/**
 * Runs the scenario through the real intake: the app served by
 * @hono/node-server on a loopback ephemeral port in this process,
 * notifications POSTed (keep-alive) by a load generator in a child process.
 * Latency is from sending the body to reading the answer, which intake sends
 * only after the commit. CPU and RSS are this process' alone: the server's.
 */
export async function measureWebhook(database: Database, scenario: Scenario): Promise<WebhookMeasurement> {
  // The production defaults (body limit, pool size), with a token as any exposed deployment has.
  const config = loadConfig({ ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK_TOKEN });
  const { app } = createApp({ config, database, logger: createLogger({ silent: true }) });
  const { server, origin } = await listenOnLoopback(app.fetch);
  const sender = new ChildWorker<LoadOrder, LoadResult>(new URL('./load-process.ts', import.meta.url));
  try {
    const hook = `${origin}/hooks/alertmanager`;
    const send = (alertCount: number, run: string, count: number) =>
      sender.run({ hook, token: WEBHOOK_TOKEN, run, alertCount, count, concurrency: scenario.concurrency }, scenario.signal);
    await send(WARM_UP.alertCount, `${scenario.run}w`, WARM_UP.notifications);

    const usage = trackProcessUsage();
    let load: Awaited<ReturnType<typeof send>>;
    let used: ProcessUsage;
    try {
      load = await send(scenario.alertCount, scenario.run, scenario.notifications);
    } finally {
      used = usage.stop();
    }
    await expectAlertRows(database, WARM_UP.notifications * WARM_UP.alertCount + scenario.notifications * scenario.alertCount);
    return { ...throughput(load, scenario.alertCount), ...used };
  } finally {
    await sender.stop();
    await close(server);
  }
}

/** Every answer said "stored"; the table must agree, or the figures measured nothing. */
async function expectAlertRows(database: Database, expected: number): Promise<void> {
  const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from alerts`));
  if (row?.n !== expected) throw new Error(`expected ${expected} rows in alerts after the run, found ${row?.n}`);
}

function listenOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve, reject) => {
    // serve() builds a node:http Server unless given another createServer.
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      resolve({ server, origin: `http://127.0.0.1:${info.port}` }),
    ) as Server;
    server.keepAliveTimeout = IDLE_SOCKET_MS;
    server.once('error', reject);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // The sender keeps its sockets open for reuse; idle ones would hold close() forever.
    server.closeIdleConnections();
  });
}
