import { Hono } from 'hono';
import type { Metrics } from '../../metrics.js';
import type { AppEnv } from '../env.js';

export interface Readiness {
  /** Database reachable and every migration applied. */
  check(): Promise<{ database: boolean; migrations: boolean }>;
}

export function healthRoutes(deps: { readiness: Readiness; metrics: Metrics }) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const checks = await deps.readiness.check();
      const ready = checks.database && checks.migrations;
      return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
    })
    .get('/metrics', async (c) => {
      c.header('Content-Type', deps.metrics.registry.contentType);
      return c.body(await deps.metrics.registry.metrics());
    });
}
