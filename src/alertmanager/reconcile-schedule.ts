import { sql } from 'drizzle-orm';
import { Counter, type Registry } from 'prom-client';
import { rowsOf } from '../db/client.js';
import type { IngestContext } from '../domain/incidents/ingest-notification.js';
import { reconcile, type AlertmanagerSource, type ReconcileReport } from '../domain/reconcile/reconcile.js';
import { errorFields, type Logger } from '../logger.js';

export interface Reconciliation {
  /** Reconciles now; null when another replica was already reconciling. */
  runNow(): Promise<ReconcileReport | null>;
  stop(): Promise<void>;
}

// Prometheus re-sends firing alerts every minute (resend delay): twice that, and a restarted Alertmanager has them all.
const DEFAULT_MIN_UPTIME_MS = 2 * 60_000;

/**
 * Reconciles with the Alertmanagers at start and every `intervalMs`, one
 * replica at a time: the run holds a transaction-scoped advisory lock, and a
 * replica that finds it taken skips its turn.
 */
export function startReconciliation(deps: {
  ctx: IngestContext;
  alertmanagers: AlertmanagerSource[];
  intervalMs: number;
  minUptimeMs?: number;
  registry: Registry;
  logger: Logger;
}): Reconciliation {
  const { ctx, logger } = deps;
  const runs = new Counter({
    name: 'alertbook_reconcile_runs_total',
    help: 'Reconciliations with Alertmanager by outcome: complete, incomplete (an Alertmanager did not answer: nothing resolved), failed, skipped (another replica was reconciling).',
    labelNames: ['outcome'],
    registers: [deps.registry],
  });
  const alerts = new Counter({
    name: 'alertbook_reconcile_alerts_total',
    help: 'Alerts reconciliation changed: ingested (firing in Alertmanager, unknown here) or resolved (gone from every Alertmanager).',
    labelNames: ['action'],
    registers: [deps.registry],
  });
  for (const outcome of ['complete', 'incomplete', 'failed', 'skipped']) runs.inc({ outcome }, 0);
  for (const action of ['ingested', 'resolved']) alerts.inc({ action }, 0);

  let running: Promise<ReconcileReport | null> | null = null;
  const runOnce = async (): Promise<ReconcileReport | null> => {
    try {
      const report = await ctx.db.transaction(async (tx) => {
        const [lock] = rowsOf<{ locked: boolean }>(
          await tx.execute(sql`select pg_try_advisory_xact_lock(hashtextextended('alertbook:reconcile', 0)) as locked`),
        );
        if (!lock?.locked) return null;
        return reconcile({
          ctx,
          alertmanagers: deps.alertmanagers,
          minUptimeMs: deps.minUptimeMs ?? DEFAULT_MIN_UPTIME_MS,
          logger,
        });
      });
      if (!report) {
        runs.inc({ outcome: 'skipped' });
        return null;
      }
      runs.inc({ outcome: report.unreachable.length > 0 ? 'incomplete' : 'complete' });
      alerts.inc({ action: 'ingested' }, report.ingested);
      alerts.inc({ action: 'resolved' }, report.resolved);
      logger.info('reconciled with Alertmanager', { ...report });
      return report;
    } catch (error) {
      runs.inc({ outcome: 'failed' });
      logger.error('reconciliation with Alertmanager failed', errorFields(error));
      return null;
    }
  };
  const runNow = () => {
    running ??= runOnce().finally(() => (running = null));
    return running;
  };

  void runNow();
  const timer = setInterval(() => void runNow(), deps.intervalMs);
  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
