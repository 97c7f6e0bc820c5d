import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { isTransientDatabaseError } from './db/errors.js';
import { intakeInBatches } from './db/intake-batcher.js';
import { migrationsApplied } from './db/migrate.js';
import { recordedIncidentsFrom } from './db/recorded-incidents.js';
import { systemClock, type Clock } from './domain/clock.js';
import { countOpenIncidents } from './domain/incidents/count-open-incidents.js';
import type { RunbookLinker } from './domain/incidents/runbook-linker.js';
import { IncidentBus } from './domain/incident-bus.js';
import type { AppEnv } from './http/env.js';
import { createErrorHandler, errorResponse } from './http/errors.js';
import { nulFreeRequestLine } from './http/params.js';
import { apiAuth, authorizationHeader, type TokenSource } from './http/middleware/auth.js';
import { csrfProtection } from './http/middleware/csrf.js';
import { loopbackHostOnly } from './http/middleware/host-check.js';
import { proxyAuth } from './http/middleware/proxy-auth.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { healthRoutes } from './http/routes/health.js';
import { incidentRoutes } from './http/routes/incidents.js';
import { liveRoutes } from './http/routes/live.js';
import { meRoutes } from './http/routes/me.js';
import { testAlertRoutes } from './http/routes/test-alert.js';
import { queryRoutes } from './http/routes/query.js';
import { reportRoutes } from './http/routes/reports.js';
import type { TuningDecisionSource } from './domain/reports/sections/tuning.js';
import { ruleRoutes, type RuleSource } from './http/routes/rules.js';
import { tuningRoutes } from './http/routes/tuning.js';
import { ruleListing } from './tuning/rule-listing.js';
import { TuningDecisions } from './tuning/tuning-decisions.js';
import { runbookRoutes } from './http/routes/runbooks.js';
import { snapshotRoutes } from './http/routes/snapshots.js';
import { silenceRoutes } from './http/routes/silences.js';
import type { SilenceApi } from './domain/silences/incident-silences.js';
import { webRoutes } from './http/routes/web.js';
import { webhookRoutes } from './http/routes/webhook.js';
import { cellRoutes } from './http/routes/cells.js';
import { autoRunCells } from './script-cells/auto-run.js';
import { startOutboxWorker, type OutboxWorker } from './domain/replicas/outbox-worker.js';
import { snapshotOnResolve } from './domain/snapshots/snapshot-on-resolve.js';
import { QueryGateway } from './script-cells/query-gateway.js';
import { ScriptRunner, type ScriptRunnerDeps } from './script-cells/script-runner.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { LiveHub } from './live/hub.js';
import { incidentCellResolver } from './live/incident-cells.js';
import { Datasources, type DatasourceLookup } from './prometheus/datasources.js';
import { observeQueries } from './prometheus/observed-datasources.js';

export interface AppDeps {
  config: Pick<Config, 'webhookToken' | 'apiTokens' | 'bodyLimit'> &
    Partial<Pick<Config, 'auth' | 'allowedOrigins' | 'intakeBudget' | 'intakeDeadlineMs' | 'bodyMinBytesPerSecond'>>;
  database: Database;
  clock?: Clock;
  bus?: IncidentBus;
  /** The runbooks folder: links incoming alerts, reloads on demand. Without it, incidents have no runbook. */
  runbooks?: { catalogue: RunbookLinker; reload(): Promise<unknown> };
  logger?: Logger;
  /** Where PromQL runs (ad-hoc queries, snapshots). Without it every datasource is unknown. */
  datasources?: DatasourceLookup;
  /** The alerting rules loaded from ALERTBOOK_RULES (each reload applies the tuning decisions it matches). Without it, no rule is known. */
  rules?: RuleSource;
  /** Weekly reports: the zone of requests naming none (default UTC), and where tuning decisions come from. */
  reports?: { defaultTz?: string; tuning?: TuningDecisionSource; publicUrl?: string | null };
  /** Where script cells run (Deno, ceiling, limits). Without it they show as disabled. */
  scripts?: Omit<ScriptRunnerDeps, 'gateway'>;
  /**
   * Works off the outbox (auto-run cells, snapshots on resolve), once across the replicas. Without it
   * nothing does that work here (tests that do not need it).
   */
  outbox?: { snapshotOnResolve: boolean; leaseMs?: number; pollMs?: number };
  /** Where an incident's alerts are silenced (ALERTBOOK_ALERTMANAGERS). Without any, silencing answers 409. */
  alertmanagers?: SilenceApi[];
}

/** Builds the HTTP application. Never listens: main.ts does, tests call `app.request()`. */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger();
  const bus = deps.bus ?? new IncidentBus({ logger });
  const { db } = deps.database;
  const ctx = { db, clock, bus };
  const metrics = createMetrics({
    countOpenIncidents: () => countOpenIncidents({ ctx }),
    datasources: deps.datasources?.names?.(),
  });
  const datasources = observeQueries(
    deps.datasources ?? new Datasources([]),
    ({ datasource, kind, outcome, seconds }) => {
      metrics.prometheusQueries.inc({ datasource, kind, outcome });
      metrics.prometheusQueryDuration.observe({ datasource, kind }, seconds);
    },
  );

  // Script cells query through the same observed datasources: counted and capped like every query.
  const gateway = new QueryGateway(datasources);
  const runner = new ScriptRunner({
    ...(deps.scripts ?? SCRIPTS_NOT_CONFIGURED),
    gateway,
  });
  const rules = deps.rules ?? { list: () => [] };
  const outbox: OutboxWorker | null = deps.outbox
    ? startOutboxWorker({
        db,
        bus,
        logger,
        leaseMs: deps.outbox.leaseMs,
        pollMs: deps.outbox.pollMs,
        handlers: {
          // Without a Deno nothing can run: no reading of every new incident's runbook.
          'auto-run-cells': deps.scripts?.deno.available ? autoRunCells({ ctx, runner }) : null,
          'snapshot-on-resolve': deps.outbox.snapshotOnResolve
            ? snapshotOnResolve({ ctx: { ...ctx, datasources, rules }, logger })
            : null,
        },
      })
    : null;

  const tuning = new TuningDecisions({
    db,
    clock,
    bus,
    rules: { list: () => rules.list(), read: async (file) => (await rules.read?.(file)) ?? null },
    logger,
  });
  const stopApplyingDecisions = rules.onReload?.((loaded) => tuning.rulesLoaded(loaded).then(() => {})) ?? (() => {});

  const app = new Hono<AppEnv>();
  app.use(requestId());
  // First, so that error answers carry the headers too.
  app.use(securityHeaders());
  app.onError(createErrorHandler(isTransientDatabaseError, (msg, fields) => logger.error(msg, fields)));
  app.notFound((c) => errorResponse(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  const allowedOrigins = deps.config.allowedOrigins ?? [];
  const authConfig = deps.config.auth ?? { mode: 'token' };
  const open = authConfig.mode === 'token' && deps.config.apiTokens.length === 0;
  // Open, only the Host tells a local page from DNS rebinding; app-wide, so the websocket upgrade is covered too.
  if (open) app.use(loopbackHostOnly({ allowedOrigins }));

  app.route(
    '/',
    healthRoutes({
      metrics,
      readiness: {
        async check() {
          const database = await deps.database.ping().then(
            () => true,
            () => false,
          );
          return { database, migrations: database && (await migrationsApplied(deps.database)) };
        },
      },
    }),
  );
  app.route(
    '/',
    webhookRoutes({
      ingest: {
        ...ctx,
        intake: intakeInBatches(deps.database.pipelined, {
          sent: (notifications) => metrics.intakeBatchSize.observe(notifications),
          retried: () => metrics.intakeBatchesRetried.inc(),
        }),
        runbooks: deps.runbooks?.catalogue,
      },
      metrics,
      webhookToken: deps.config.webhookToken,
      bodyLimit: deps.config.bodyLimit,
      intakeBudget: deps.config.intakeBudget ?? deps.config.bodyLimit,
      intakeDeadlineMs: deps.config.intakeDeadlineMs,
      bodyMinBytesPerSecond: deps.config.bodyMinBytesPerSecond,
      isTransient: isTransientDatabaseError,
    }),
  );
  const authFrom = (token: TokenSource) => {
    const tokenAuth = apiAuth({ tokens: deps.config.apiTokens, token });
    return authConfig.mode === 'proxy'
      ? proxyAuth({
          trustedProxies: authConfig.trustedProxies,
          tokenAuth: deps.config.apiTokens.length > 0 ? tokenAuth : undefined,
          presentsToken: (c) => token(c) !== null,
        })
      : tokenAuth;
  };
  const auth = authFrom(authorizationHeader);
  app.use('/api/*', csrfProtection({ allowedOrigins }));

  const hub = new LiveHub({
    datasources,
    resolveIncidentCell: incidentCellResolver({ db }),
    bus,
    registry: metrics.registry,
    logger,
  });
  // Before the API's own auth: browsers cannot send the header on a websocket; the route admits them itself.
  const live = liveRoutes({ hub, auth: authFrom, allowedOrigins });
  app.route('/api/v1', live.routes);

  const api = new Hono<AppEnv>();
  api.use(auth);
  api.use(nulFreeRequestLine);
  api.route(
    '/',
    meRoutes({ silences: (deps.alertmanagers?.length ?? 0) > 0, webhookToken: Boolean(deps.config.webhookToken) }),
  );
  api.route(
    '/',
    testAlertRoutes({
      clock,
      postToWebhook: async (body) =>
        app.request('http://localhost/hooks/alertmanager', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(deps.config.webhookToken ? { authorization: `Bearer ${deps.config.webhookToken}` } : {}),
          },
          body: JSON.stringify(body),
        }),
    }),
  );
  api.route('/', incidentRoutes({ ctx, rules }));
  api.route('/', silenceRoutes({ ctx: { ...ctx, alertmanagers: deps.alertmanagers ?? [] } }));
  api.route('/', queryRoutes({ datasources }));
  api.route('/', cellRoutes({ ctx, runner }));
  api.route('/', snapshotRoutes({ ctx: { ...ctx, datasources, rules } }));
  api.route(
    '/',
    reportRoutes({
      ctx: { db, clock, defaultTz: deps.reports?.defaultTz ?? 'UTC', tuning: deps.reports?.tuning },
      publicUrl: deps.reports?.publicUrl ?? null,
    }),
  );
  api.route(
    '/',
    runbookRoutes({ ctx, reload: deps.runbooks ? () => deps.runbooks!.reload() : async () => ({ runbooks: 0 }) }),
  );
  api.route(
    '/',
    ruleRoutes({
      rules,
      listed: ruleListing({ db, runbooks: deps.runbooks?.catalogue }),
      evidence: tuning,
      incidents: recordedIncidentsFrom(db),
      datasources,
      clock,
    }),
  );
  api.route('/', tuningRoutes({ tuning }));
  app.route('/api/v1', api);

  app.route('/', webRoutes({ authMode: authConfig.mode === 'proxy' ? 'proxy' : open ? 'open' : 'token' }));

  const scripts = { runner, gateway };
  // main.ts runs verifyDue() on a timer; stop() ends the applying of decisions on rule reloads.
  const tuningDecisions = { decisions: tuning, stop: stopApplyingDecisions };
  // For serve(): @hono/node-server hands the websocket upgrades the live route accepts to this server.
  const websocket = { server: live.webSocketServer };
  return { app, metrics, bus, hub, scripts, outbox, websocket, tuning: tuningDecisions };
}

const SCRIPTS_NOT_CONFIGURED: Omit<ScriptRunnerDeps, 'gateway'> = {
  deno: { available: false, reason: 'script cells are not configured' },
  denoDir: '',
  runbooksDir: '',
  serviceEnv: {},
  ceiling: { net: [], env: [] },
  concurrency: 1,
};

export type App = ReturnType<typeof createApp>;
