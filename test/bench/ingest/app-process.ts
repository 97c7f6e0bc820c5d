// The app under measurement, a child process of the benchmark run the way
// `npm start` runs it: bundled by esbuild, started by plain node, so its CPU
// and RSS are the service's alone (no tsx loader, no load generator).
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createDatabase, rowsOf, type Database, type DatabaseTarget } from '../../../src/db/client.js';
import { linkReplicas } from '../../../src/db/replica-link.js';
import { IncidentBus } from '../../../src/domain/incident-bus.js';
import { createLogger } from '../../../src/logger.js';
import { WEBHOOK_TOKEN, type AppAnswers, type AppOrder } from './app-orders.js';
import { serveOrders } from './child-worker.js';
import { trackProcessUsage } from './process-usage.js';

// As main.ts: longer than a sender's pause between notifications, so the server
// does not close a keep-alive socket the sender is about to reuse (ECONNRESET).
const IDLE_SOCKET_MS = 120_000;

let database: Database | undefined;

// Stopped by SIGTERM: exit as a normal end, so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
let tracking: ReturnType<typeof trackProcessUsage> | undefined;

serveOrders(async (order: AppOrder): Promise<AppAnswers[AppOrder['kind']]> => {
  switch (order.kind) {
    case 'start':
      return start(order.target);
    case 'track':
      tracking = trackProcessUsage();
      return null;
    case 'usage':
      return tracking!.stop();
    case 'count alerts': {
      const [row] = rowsOf<{ n: number }>(await database!.db.execute(sql`select count(*)::int as n from alerts`));
      return row!.n;
    }
  }
});

async function start(target: DatabaseTarget): Promise<AppAnswers['start']> {
  database = await createDatabase({ target });
  // The production defaults (body limit, pool size), with a token as any exposed deployment has.
  const config = loadConfig({ ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK_TOKEN });
  const logger = createLogger({ silent: true });
  // As main.ts composes it: each change NOTIFYed to the other replicas, and the outbox worked off here.
  const bus = new IncidentBus({ logger });
  await linkReplicas({ database, bus, logger });
  const { app } = createApp({
    config,
    database,
    bus,
    logger,
    outbox: { snapshotOnResolve: config.snapshotOnResolve },
  });
  const origin = await new Promise<string>((resolve, reject) => {
    // serve() builds a node:http Server unless given another createServer.
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    ) as Server;
    server.keepAliveTimeout = IDLE_SOCKET_MS;
    server.once('error', reject);
  });
  return { origin, idleRssBytes: process.memoryUsage.rss() };
}
