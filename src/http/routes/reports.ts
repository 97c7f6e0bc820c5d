import { Hono, type Context } from 'hono';
import { buildWeeklyReport, type ReportContext } from '../../domain/reports/build-report.js';
import { listNotifications } from '../../domain/reports/list-notifications.js';
import { listOccurrences } from '../../domain/reports/list-occurrences.js';
import { listReportWeeks } from '../../domain/reports/recent-weeks.js';
import { listSteps } from '../../domain/reports/list-steps.js';
import type { WeeklyReport } from '../../domain/reports/model.js';
import { withPublicLinks } from '../../domain/reports/public-links.js';
import type { PeriodInput } from '../../domain/reports/report-period.js';
import { renderHtml } from '../../domain/reports/render/render-html.js';
import { renderMarkdown } from '../../domain/reports/render/render-markdown.js';
import { ValidationError } from '../../domain/errors.js';
import { getStoredReport, listStoredReports, storeReport } from '../../domain/reports/stored-reports.js';
import type { AppEnv } from '../env.js';
import { acceptsQuery, jsonBody } from '../params.js';

export type ReportFormat = 'json' | 'markdown' | 'html';

const FORMATS: Record<string, ReportFormat> = { json: 'json', md: 'markdown', markdown: 'markdown', html: 'html' };

/** `format=` wins; else the first of Accept's types we make; else JSON. */
export function reportFormat(c: Context): ReportFormat {
  const asked = c.req.query('format');
  if (asked !== undefined) {
    const format = FORMATS[asked];
    if (!format) throw new ValidationError('format', `expected json, markdown (md) or html, not "${asked}"`);
    return format;
  }
  for (const part of (c.req.header('accept') ?? '').split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === 'text/html') return 'html';
    if (type === 'text/markdown') return 'markdown';
    if (type === 'application/json') return 'json';
  }
  return 'json';
}

/**
 * The report in `format`. Markdown and HTML are documents people save and
 * pass on: their links are absolute under `publicUrl` when it is known. JSON
 * keeps the API's relative paths.
 */
export function reportResponse(c: Context, report: WeeklyReport, format: ReportFormat, publicUrl: string | null) {
  if (format === 'html') return c.html(renderHtml(withPublicLinks(report, publicUrl)));
  if (format === 'markdown')
    return c.body(renderMarkdown(withPublicLinks(report, publicUrl)), 200, {
      'content-type': 'text/markdown; charset=utf-8',
    });
  return c.json(report);
}

function periodQuery(c: Context): PeriodInput {
  const { week, from, to, tz } = c.req.query();
  return { week, from, to, tz };
}

export function reportRoutes(deps: { ctx: ReportContext; publicUrl: string | null }) {
  const { ctx, publicUrl } = deps;
  return new Hono<AppEnv>()
    .get('/reports/weekly', async (c) => {
      const format = reportFormat(c);
      return reportResponse(c, await buildWeeklyReport({ ctx, input: periodQuery(c) }), format, publicUrl);
    })
    .post('/reports/weekly', async (c) => {
      const stored = await storeReport({ ctx, input: { body: await jsonBody(c), actor: c.get('actor') } });
      c.header('Location', `/api/v1/reports/stored/${stored.id}`);
      return c.body(stored.json, stored.created ? 201 : 200, { 'content-type': 'application/json' });
    })
    .get('/reports/weeks', acceptsQuery('tz'), async (c) =>
      c.json(await listReportWeeks({ ctx, input: { tz: c.req.query('tz') } })),
    )
    .get('/reports/stored', async (c) => c.json({ reports: await listStoredReports({ ctx }) }))
    .get('/reports/stored/:id{[1-9][0-9]{0,15}}', async (c) => {
      const format = reportFormat(c);
      const stored = await getStoredReport({ ctx, input: { id: Number(c.req.param('id')) } });
      // JSON is served as stored, byte for byte.
      if (format === 'json') return c.body(stored.json, 200, { 'content-type': 'application/json' });
      return reportResponse(c, stored.report, format, publicUrl);
    })
    .get('/reports/evidence/occurrences', async (c) => c.json(await listOccurrences({ ctx, input: c.req.query() })))
    .get('/reports/evidence/notifications', async (c) => c.json(await listNotifications({ ctx, input: c.req.query() })))
    .get('/reports/evidence/steps', async (c) => c.json(await listSteps({ ctx, input: c.req.query() })));
}
