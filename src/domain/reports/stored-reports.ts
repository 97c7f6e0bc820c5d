import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { storedReports } from '../../db/schema/index.js';
import { NotFoundError } from '../errors.js';
import { validate } from '../validate.js';
import { buildWeeklyReport, reportPeriod, type ReportContext } from './build-report.js';
import type { WeeklyReport } from './model.js';

const bodySchema = z.object({
  week: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  tz: z.string().optional(),
});

export interface StoredReport {
  id: number;
  created: boolean;
  report: WeeklyReport;
  /** The JSON text as stored: what GET serves, byte for byte. */
  json: string;
}

/**
 * Generates and keeps the report of a period. Storing a period again returns
 * the report kept the first time (201 then 200): a review reads the same later.
 */
export async function storeReport({
  ctx,
  input,
}: {
  ctx: ReportContext;
  input: { body: unknown; actor: string };
}): Promise<StoredReport> {
  const body = validate(bodySchema, input.body);
  const period = reportPeriod(ctx, body);
  const existing = await findStored(ctx, period.tz, period.from, period.to);
  if (existing) return { ...existing, created: false };
  const report = await buildWeeklyReport({ ctx, input: body });
  const json = JSON.stringify(report);
  const [row] = await ctx.db
    .insert(storedReports)
    .values({
      week: period.week,
      tz: period.tz,
      fromAt: period.from,
      toAt: period.to,
      definitionsVersion: report.definitionsVersion,
      reportJson: json,
      createdBy: input.actor,
      createdAt: ctx.clock(),
    })
    // Two stores of one period at once: the unique period index keeps the first.
    .onConflictDoNothing()
    .returning({ id: storedReports.id });
  if (!row) return { ...(await findStored(ctx, period.tz, period.from, period.to))!, created: false };
  return { id: row.id, created: true, report, json };
}

async function findStored(ctx: ReportContext, tz: string, from: Date, to: Date) {
  const [row] = await ctx.db
    .select({ id: storedReports.id, json: storedReports.reportJson })
    .from(storedReports)
    .where(and(eq(storedReports.tz, tz), eq(storedReports.fromAt, from), eq(storedReports.toAt, to)));
  return row ? { id: row.id, json: row.json, report: JSON.parse(row.json) as WeeklyReport } : null;
}

/** Stored reports, newest period first (the notebook's /reports page). */
export async function listStoredReports({ ctx }: { ctx: Pick<ReportContext, 'db'> }) {
  return ctx.db
    .select({
      id: storedReports.id,
      week: storedReports.week,
      tz: storedReports.tz,
      from: storedReports.fromAt,
      to: storedReports.toAt,
      definitionsVersion: storedReports.definitionsVersion,
      createdBy: storedReports.createdBy,
      createdAt: storedReports.createdAt,
    })
    .from(storedReports)
    .orderBy(desc(storedReports.fromAt), desc(storedReports.id))
    .limit(500);
}

export async function getStoredReport({ ctx, input }: { ctx: Pick<ReportContext, 'db'>; input: { id: number } }) {
  const [row] = await ctx.db
    .select({ json: storedReports.reportJson })
    .from(storedReports)
    .where(eq(storedReports.id, input.id));
  if (!row) throw new NotFoundError(`stored report ${input.id}`);
  return { json: row.json, report: JSON.parse(row.json) as WeeklyReport };
}
