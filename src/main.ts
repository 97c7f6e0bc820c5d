// The only file that reads the environment and listens.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { createLogger, errorFields } from './logger.js';
import { systemClock } from './domain/clock.js';
import { snapshotOnResolve } from './domain/snapshots/snapshot-on-resolve.js';
import { Datasources } from './prometheus/datasources.js';
import { ensureWebBuilt } from './http/routes/web.js';
import { RunbookLibrary } from './runbooks/runbook-library.js';
import { join } from 'node:path';
import { locateDeno } from './script-cells/deno-binary.js';

const logger = createLogger();

async function main() {
  const config = loadConfig(process.env);
  const database = await createDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  );
  await runMigrations(database, config.databaseUrl);
  logger.info('database ready', { kind: database.kind, ...(database.kind === 'pglite' ? { dataDir: config.dataDir } : {}) });

  const runbooks = new RunbookLibrary({ dir: config.runbooksDir, db: database.db, logger });
  await runbooks.reload();
  await runbooks.watch();

  const datasources = new Datasources(config.datasources, { maxSeries: config.maxSeries });
  await ensureWebBuilt(logger);
  const deno = locateDeno();
  if (!deno.available) logger.warn('script cells are disabled', { reason: deno.reason });
  const scripts = {
    deno,
    denoDir: join(config.dataDir, 'deno'),
    runbooksDir: config.runbooksDir,
    serviceEnv: process.env,
    ceiling: config.scriptCeiling,
    concurrency: config.scriptConcurrency,
  };
  const { app, bus, hub, injectWebSocket, scripts: scriptCells } = createApp({ config, database, logger, runbooks, datasources, scripts });
  const snapshots = config.snapshotOnResolve
    ? snapshotOnResolve({ bus, ctx: { db: database.db, clock: systemClock, bus, datasources }, logger })
    : null;
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    logger.info('listening', { url: `http://${info.address}:${info.port}` });
    if (config.open) {
      logger.warn('running OPEN: no ALERTBOOK_WEBHOOK_TOKEN or ALERTBOOK_API_TOKENS; fine on loopback, set both before exposing it');
    }
  });
  injectWebSocket(server);
  // Alertmanager's Go client keeps idle connections for 90 s. Holding ours
  // longer means the client always closes first, so a request never lands on
  // a socket we are closing (a reset that would cost a retry).
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Close the websockets (they would hold the server open), stop accepting,
    // let in-flight requests finish, then close the database.
    hub.close();
    server.close(async () => {
      await snapshots?.stop();
      scriptCells.autoRuns.stop();
      await scriptCells.autoRuns.settled();
      await scriptCells.gateway.close();
      await runbooks.close();
      await database.close();
      logger.info('stopped');
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    logger.error(error.message, { fields: error.issues });
  } else {
    logger.error('failed to start', errorFields(error));
  }
  process.exitCode = 1;
});
