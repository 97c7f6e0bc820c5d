import { hostname } from 'node:os';
// The only file that reads the environment and listens.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/client.js';
import { intakeInBatches } from './db/intake-batcher.js';
import { EmbeddedDatabaseError, startEmbeddedServer, type EmbeddedServer } from './db/embedded-server.js';
import { runMigrations } from './db/migrate.js';
import { linkReplicas } from './db/replica-link.js';
import { AlertmanagerClient } from './alertmanager/alertmanager-client.js';
import { startReconciliation } from './alertmanager/reconcile-schedule.js';
import { startRetention } from './domain/retention/prune-delivery-log.js';
import { IncidentBus } from './domain/incident-bus.js';
import { createLogger, errorFields } from './logger.js';
import { systemClock } from './domain/clock.js';
import { Datasources } from './prometheus/datasources.js';
import { probeDatasources } from './prometheus/probe-datasources.js';
import { RunbookLibrary } from './runbooks/runbook-library.js';
import { reportFolderOnDisk } from './reports/report-folder.js';
import { startReportSchedule } from './reports/report-schedule.js';
import { RuleFiles } from './rules/rule-files.js';
import { startVerification } from './tuning/verification-timer.js';
import { ensureWebBuilt } from '../web/ensure-built.js';
import { join } from 'node:path';
import { locateDeno } from './script-cells/deno-binary.js';

const logger = createLogger();
// Started by main(), stopped by the shutdown or when starting fails.
let embedded: EmbeddedServer | undefined;

async function main() {
  const config = loadConfig(process.env);
  if (!config.databaseUrl) embedded = await startEmbeddedServer({ dataDir: config.dataDir, logger });
  const target = config.databaseUrl ?? embedded!.target;
  const database = await createDatabase({ target });
  await runMigrations(target);
  logger.info(
    'database ready',
    embedded ? { embedded: embedded.target.socketDir, pid: embedded.pid } : { server: 'DATABASE_URL' },
  );

  const runbooks = new RunbookLibrary({ dir: config.runbooksDir, db: database.db, logger });
  await runbooks.reload();
  await runbooks.watch();

  const rules = new RuleFiles({ patterns: config.rules, cwd: process.cwd(), logger });

  const datasources = new Datasources(config.datasources, { maxSeries: config.maxSeries });
  // Not awaited: a datasource that is down or slow is logged, it does not hold the start.
  void probeDatasources({ configs: config.datasources, datasources, logger });
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
  const alertmanagers = config.alertmanagers.urls.map(
    (url) => new AlertmanagerClient(url, { token: config.alertmanagers.token }),
  );
  // Every replica on this database hears the others' incident changes (LISTEN/NOTIFY).
  const bus = new IncidentBus({ logger });
  const replicas = await linkReplicas({ database, bus, logger });
  const {
    app,
    hub,
    metrics,
    websocket,
    outbox,
    scripts: scriptCells,
    tuning,
  } = createApp({
    config,
    database,
    bus,
    logger,
    runbooks,
    datasources,
    rules,
    scripts,
    reports: { defaultTz: config.reports.tz, publicUrl: config.publicUrl },
    outbox: { snapshotOnResolve: config.snapshotOnResolve },
    alertmanagers,
  });
  // Loaded after createApp, which applies the tuning decisions each load matches.
  logger.info('alerting rules loaded', { patterns: config.rules, ...(await rules.reload()) });
  await rules.watch();
  const verification = startVerification({ decisions: tuning.decisions, logger });
  const reportSchedule = config.reports.schedule
    ? startReportSchedule({
        schedule: config.reports.schedule,
        ctx: { db: database.db, clock: systemClock, defaultTz: config.reports.tz },
        targets: {
          webhook: config.reports.webhook ?? undefined,
          folder: config.reports.dir ? reportFolderOnDisk(config.reports.dir) : undefined,
          publicUrl: config.publicUrl,
          tz: config.reports.tz,
        },
        instance: `${hostname()}:${process.pid}`,
        registry: metrics.registry,
        logger,
      })
    : null;
  const reconciliation =
    alertmanagers.length > 0
      ? startReconciliation({
          ctx: {
            db: database.db,
            clock: systemClock,
            bus,
            intake: intakeInBatches(database.pipelined),
            runbooks: runbooks.catalogue,
          },
          alertmanagers,
          intervalMs: config.alertmanagers.reconcileIntervalMs,
          registry: metrics.registry,
          logger,
        })
      : null;
  const retention =
    config.retentionMs === null
      ? null
      : startRetention({ db: database.db, retentionMs: config.retentionMs, clock: systemClock, logger });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, websocket }, (info) => {
    logger.info('listening', { url: `http://${info.address}:${info.port}` });
    if (config.open) {
      logger.warn(
        'running OPEN: no ALERTBOOK_WEBHOOK_TOKEN or ALERTBOOK_API_TOKENS; fine on loopback, set both before exposing it',
      );
    }
  });
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
    reportSchedule?.stop();
    server.close(async () => {
      await reconciliation?.stop();
      await retention?.stop();
      await replicas.stop();
      await outbox?.stop();
      await scriptCells.gateway.close();
      await runbooks.close();
      tuning.stop();
      await rules.close();
      await verification.stop();
      await database.close();
      await embedded?.stop();
      logger.info('stopped');
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch(async (error) => {
  if (error instanceof ConfigError) {
    logger.error(error.message, { fields: error.issues });
  } else if (error instanceof EmbeddedDatabaseError) {
    logger.error(error.message);
  } else {
    logger.error('failed to start', errorFields(error));
  }
  process.exitCode = 1;
  await embedded
    ?.stop()
    .catch((stopError: unknown) => logger.error('embedded database did not stop', errorFields(stopError)));
});
