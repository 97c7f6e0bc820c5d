import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase } from '../../db/client.js';
import { EmbeddedDatabaseError, startEmbeddedServer } from '../../db/embedded-server.js';
import { runMigrations } from '../../db/migrate.js';
import { systemClock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { buildWeeklyReport, reportPeriod } from '../../domain/reports/build-report.js';
import { renderHtml } from '../../domain/reports/render/render-html.js';
import { renderMarkdown } from '../../domain/reports/render/render-markdown.js';
import { alertbookApi } from '../alertbook-api.js';
import type { CliIo, ExitCode } from '../cli-io.js';

export const REPORT_USAGE = `usage: alertbook report [--week 2026-W48 | --from <date> --to <date>] [--tz <zone>]
                        [--format md|html|json] [--out <file>] [--server <url>]

Prints the alert-history report of a week (default: the last complete one).
Reads the database named by DATABASE_URL (or the embedded one in
ALERTBOOK_DATA_DIR, default .alertbook, while no server holds it), or asks a
running server with --server (token from ALERTBOOK_TOKEN).
Exit code: 0 written, 2 could not run (bad option, database or server unreachable).`;

const FORMATS = { md: 'markdown', markdown: 'markdown', html: 'html', json: 'json' } as const;

export async function runReport(args: string[], io: CliIo): Promise<ExitCode> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        week: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        tz: { type: 'string' },
        format: { type: 'string', default: 'md' },
        out: { type: 'string' },
        server: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`alertbook report: ${(error as Error).message}\n${REPORT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${REPORT_USAGE}\n`);
    return 0;
  }
  const format = FORMATS[values.format as keyof typeof FORMATS];
  if (!format) {
    io.stderr(`alertbook report: --format: expected md, html or json, not "${values.format}"\n`);
    return 2;
  }
  const env = io.env ?? {};
  const period = { week: values.week, from: values.from, to: values.to, tz: values.tz };
  try {
    // Bad input is named before any database or server is asked.
    reportPeriod({ clock: systemClock, defaultTz: env.ALERTBOOK_REPORT_TZ || 'UTC' }, period);
    const text = values.server
      ? await fromServer(values.server, period, format, env.ALERTBOOK_TOKEN)
      : await fromDatabase(period, format, env);
    if (values.out) await writeFile(resolve(io.cwd, values.out), text);
    else io.stdout(text);
    return 0;
  } catch (error) {
    const field = error instanceof DomainError && error.field ? `--${error.field}: ` : '';
    io.stderr(
      `alertbook report: ${field}${error instanceof DomainError ? error.message.replace(`${error.field}: `, '') : (error as Error).message}\n`,
    );
    return 2;
  }
}

type Period = { week?: string; from?: string; to?: string; tz?: string };

async function fromServer(server: string, period: Period, format: string, token: string | undefined): Promise<string> {
  const query: Record<string, string> = { format };
  for (const [k, v] of Object.entries(period)) if (v !== undefined) query[k] = v;
  return alertbookApi(server, token).text('/reports/weekly', { query });
}

async function fromDatabase(period: Period, format: string, env: Record<string, string | undefined>): Promise<string> {
  const url = env.DATABASE_URL || undefined;
  // Without a server, the data dir's embedded database: it admits one process, so a running service is asked instead.
  const embedded = url
    ? undefined
    : await startEmbeddedServer({ dataDir: env.ALERTBOOK_DATA_DIR || '.alertbook' }).catch((error: unknown) => {
        if (error instanceof EmbeddedDatabaseError)
          throw new Error(`${error.message}\n(with the service running, use --server <url>)`);
        throw error;
      });
  try {
    // The embedded database may be new or older than this code; a server's Postgres is the server's to migrate.
    if (embedded) await runMigrations(embedded.target);
    const database = await createDatabase({ target: url ?? embedded!.target, maxConnections: 4 });
    try {
      const report = await buildWeeklyReport({
        ctx: { db: database.db, clock: systemClock, defaultTz: env.ALERTBOOK_REPORT_TZ || 'UTC' },
        input: period,
      });
      return format === 'html'
        ? renderHtml(report)
        : format === 'markdown'
          ? renderMarkdown(report)
          : `${JSON.stringify(report, null, 2)}\n`;
    } finally {
      await database.close();
    }
  } finally {
    await embedded?.stop();
  }
}
