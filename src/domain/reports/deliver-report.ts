import { and, eq, sql } from 'drizzle-orm';
import { reportDeliveries } from '../../db/schema/index.js';
import type { ReportContext } from './build-report.js';
import type { WeeklyReport } from './model.js';
import { renderMarkdown } from './render/render-markdown.js';
import { formatChange, formatDuration, historyNotice } from './render/format-values.js';
import { publicLink, withPublicLinks } from './public-links.js';
import { isoWeekOf, shiftIsoWeek } from './report-period.js';
import { storeReport } from './stored-reports.js';

/** Where reports are saved as files (ALERTBOOK_REPORT_DIR): the port that keeps node:fs out of the domain. */
export interface ReportFolder {
  /** Writes `text` as the file `name` in the folder, replacing one of that name. */
  write(name: string, text: string): Promise<void>;
}

export interface DeliveryTargets {
  /** A Slack-compatible incoming webhook. */
  webhook?: string;
  /** The folder the markdown report is written to as `<week>.md`. */
  folder?: ReportFolder;
  /**
   * Where people open the service (ALERTBOOK_PUBLIC_URL), e.g. `https://alertbook.example.com`: the summary's
   * link and the file's links are absolute under it. Null: relative links (they work inside the app only).
   */
  publicUrl: string | null;
  tz: string;
}

export interface DeliveryOptions {
  /** Who claims the delivery (logged in report_deliveries): the replica's name. */
  instance: string;
  /** Waits between webhook attempts (ms); the last attempt is not followed by a wait. */
  backoffMs?: number[];
  fetch?: typeof fetch;
  onOutcome?: (target: 'webhook' | 'dir', outcome: 'delivered' | 'failed' | 'skipped', error?: unknown) => void;
}

const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000];

/** The Slack message: the headline numbers and the first next steps, with a link to the whole report. */
export function slackSummary(report: WeeklyReport, link: string): { text: string } {
  const v = report.volume;
  const r = report.response.overall;
  const notice = historyNotice(report);
  const lines = [
    `*Alert history ${report.period.label} (${report.period.tz})*`,
    `${v.incidentsOpened.value} incidents (${formatChange(v.change.incidentsOpened)} week over week), ${v.occurrencesFired.value} alert firings; ` +
      `MTTA median ${formatDuration(r.mtta.median.value)}, MTTR median ${formatDuration(r.mttr.median.value)}; ` +
      `${r.neverAcknowledged.value} never acknowledged, ${report.noise.selfResolving.total.value} self-resolving.`,
    ...(notice ? [`_${notice}_`] : []),
    ...report.actions.slice(0, 3).map((a) => `${a.rank}. ${a.text}`),
    `<${link}|Full report>`,
  ];
  return { text: lines.join('\n') };
}

/**
 * Generates, stores and delivers the report of the last complete week before
 * now. Each (report, target) is claimed by inserting its row first: of several
 * replicas firing together, or a replica restarted after sending, exactly one
 * sends (at most once: a replica dying mid-send leaves the claim, and the
 * failure is visible in the row, the logs and /metrics).
 */
export async function deliverWeeklyReport({
  ctx,
  targets,
  options,
}: {
  ctx: ReportContext;
  targets: DeliveryTargets;
  options: DeliveryOptions;
}) {
  const week = shiftIsoWeek(isoWeekOf(ctx.clock(), targets.tz), -1);
  const stored = await storeReport({
    ctx,
    input: { body: { week, tz: targets.tz }, actor: `schedule:${options.instance}` },
  });
  const results: Record<string, 'delivered' | 'failed' | 'skipped'> = {};
  const jobs: ['webhook' | 'dir', () => Promise<void>][] = [];
  if (targets.webhook) {
    const url = targets.webhook;
    const link = publicLink(`/api/v1/reports/stored/${stored.id}?format=html`, targets.publicUrl);
    jobs.push(['webhook', () => postWithRetry(url, slackSummary(stored.report, link), options)]);
  }
  if (targets.folder) {
    const folder = targets.folder;
    jobs.push([
      'dir',
      () => folder.write(`${week}.md`, renderMarkdown(withPublicLinks(stored.report, targets.publicUrl))),
    ]);
  }
  for (const [target, send] of jobs) {
    const [claim] = await ctx.db
      .insert(reportDeliveries)
      .values({ reportId: stored.id, target, claimedBy: options.instance, claimedAt: ctx.clock() })
      .onConflictDoNothing()
      .returning({ id: reportDeliveries.id });
    if (!claim) {
      results[target] = 'skipped';
      options.onOutcome?.(target, 'skipped');
      continue;
    }
    try {
      await send();
      await ctx.db
        .update(reportDeliveries)
        .set({ deliveredAt: ctx.clock(), attempts: sql`${reportDeliveries.attempts} + 1` })
        .where(eq(reportDeliveries.id, claim.id));
      results[target] = 'delivered';
      options.onOutcome?.(target, 'delivered');
    } catch (error) {
      await ctx.db
        .update(reportDeliveries)
        .set({ lastError: String((error as Error).message ?? error) })
        .where(and(eq(reportDeliveries.id, claim.id)));
      results[target] = 'failed';
      options.onOutcome?.(target, 'failed', error);
    }
  }
  return { week, reportId: stored.id, results };
}

/** POSTs JSON; retries a 5xx, 429 or network failure after each backoff step; a 4xx other than 429 is final. */
async function postWithRetry(url: string, body: unknown, options: DeliveryOptions): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  let lastError: Error = new Error('not sent');
  for (let attempt = 0; attempt <= backoff.length; attempt++) {
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (res.ok) return;
      lastError = new Error(`webhook answered ${res.status}`);
      if (res.status < 500 && res.status !== 429) throw lastError;
    } catch (error) {
      if (error === lastError) throw error;
      lastError = error as Error;
    }
    if (attempt < backoff.length) await new Promise((resolve) => setTimeout(resolve, backoff[attempt]));
  }
  throw lastError;
}
