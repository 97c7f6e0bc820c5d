import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ensureWebBuilt } from '../../web/ensure-built.js';
import type { AppDeps } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import type { RuleSource } from '../../src/http/routes/rules.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import type { ScriptRunnerDeps } from '../../src/script-cells/script-runner.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from './app.js';
import type { TestDatabase } from './database.js';

export interface NotebookServer {
  /** e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: TestApp;
  runbooks: RunbookLibrary;
  /** Stops the hub and the server, then closes the app's database. */
  close(): Promise<void>;
}

export interface NotebookServerOptions {
  database: TestDatabase;
  /** Without one, no datasource is known (pages that draw no PromQL cell). */
  prometheusUrl?: string;
  runbooksDir: string;
  /** Replaces the app's parts, e.g. the history generator's clock and runbooks (test/support/history-generator.ts). */
  deps?: Partial<AppDeps>;
  /** API tokens: none (the default) is loopback-open mode, where people name themselves. */
  apiTokens?: { name: string; token: string }[];
  /** Where script cells run; without it they show as disabled. */
  scripts?: Omit<ScriptRunnerDeps, 'gateway'>;
  /** The alerting rules the tuning pages work on; none by default. */
  rules?: RuleSource;
}

/**
 * The whole service on loopback for a browser, composed by `createApp` as in
 * production: the REST API in loopback-open mode (people name themselves), the
 * live hub over `prometheusUrl`, the web UI, security headers and CSRF checks.
 */
export async function startNotebookServer(options: NotebookServerOptions): Promise<NotebookServer> {
  const logger = createLogger({ silent: true });
  const runbooks = new RunbookLibrary({ dir: options.runbooksDir, db: options.database.db, logger });
  await runbooks.reload();
  await ensureWebBuilt(logger);
  const app = await createTestApp(options.database, {
    config: { webhookToken: WEBHOOK_TOKEN, apiTokens: options.apiTokens ?? [], bodyLimit: 16 * 1024 * 1024 },
    runbooks,
    ...(options.prometheusUrl && { datasources: new Datasources([{ name: 'default', url: options.prometheusUrl }]) }),
    ...(options.scripts && { scripts: options.scripts }),
    ...(options.rules && { rules: options.rules }),
    ...options.deps,
  });

  const server = serve({ fetch: app.app.fetch, hostname: '127.0.0.1', port: 0, websocket: app.websocket });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve).once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    runbooks,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep idle keep-alive connections; do not wait for them to time out.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await app.close(); // the hub first (its websockets hold the server open), then the database
      await stopped;
      await runbooks.close();
    },
  };
}
