import { Cron } from 'croner';
import { Counter, type Registry } from 'prom-client';
import { deliverWeeklyReport, type DeliveryOptions, type DeliveryTargets } from '../domain/reports/deliver-report.js';
import type { ReportContext } from '../domain/reports/build-report.js';
import { isoWeekOf } from '../domain/reports/report-period.js';
import { errorFields, type Logger } from '../logger.js';

export interface ReportSchedule {
  /** Runs one delivery now, as the schedule would (tests, and a manual trigger). */
  runOnce(): Promise<unknown>;
  stop(): void;
}

/**
 * Generates last week's report on a cron schedule (croner, in the report's
 * zone) and delivers it, and at start when this week's cron time has passed.
 * Overlapping runs are skipped (`protect`); which replica sends is settled in
 * the database (deliverWeeklyReport).
 */
export function startReportSchedule(deps: {
  schedule: string;
  ctx: ReportContext;
  targets: DeliveryTargets;
  instance: string;
  registry: Registry;
  logger: Logger;
  options?: Pick<DeliveryOptions, 'backoffMs' | 'fetch'>;
}): ReportSchedule {
  const deliveries = new Counter({
    name: 'alertbook_report_deliveries_total',
    help: 'Scheduled report deliveries by target and outcome (skipped: another replica or an earlier run claimed the week).',
    labelNames: ['target', 'outcome'],
    registers: [deps.registry],
  });
  const runOnce = async () => {
    try {
      const outcome = await deliverWeeklyReport({
        ctx: deps.ctx,
        targets: deps.targets,
        options: {
          ...deps.options,
          instance: deps.instance,
          onOutcome: (target, result, error) => {
            deliveries.inc({ target, outcome: result });
            if (result === 'failed') deps.logger.error('report delivery failed', { target, ...errorFields(error) });
          },
        },
      });
      deps.logger.info('weekly report run', outcome);
      return outcome;
    } catch (error) {
      deliveries.inc({ target: 'report', outcome: 'failed' });
      deps.logger.error('weekly report could not be generated', errorFields(error));
      return null;
    }
  };
  const job = new Cron(deps.schedule, { timezone: deps.targets.tz, protect: true }, async () => {
    await runOnce();
  });
  // A run missed this week (every replica down at the cron time, or a crash after the report was stored but before
  // its delivery was claimed) is caught up at start; the claims keep it to one delivery when it was not missed.
  const [latest] = job.previousRuns(1, deps.ctx.clock());
  if (latest && isoWeekOf(latest, deps.targets.tz) === isoWeekOf(deps.ctx.clock(), deps.targets.tz)) void runOnce();
  return { runOnce, stop: () => job.stop() };
}

/** Throws croner's message for a pattern it cannot run (config validation). */
export function assertCronPattern(pattern: string): void {
  new Cron(pattern, { paused: true }).stop();
}
