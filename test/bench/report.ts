// `npm run bench:report`: the weekly report over a week of 1,000,000 alert occurrences and
// 100,000 incidents on real Postgres (generated with SQL, see report/seed-week.ts), timed
// beside one count(*) over the same week's occurrences (the floor: no report can read the
// week faster than counting its rows). Target: the report in < 3 s, peak RSS < 200 MB.
// Options: --runs 3, --weeks-before 1 (history before the week, same size), --keep (seed
// once into alertbook_bench_report and keep it, for EXPLAIN ANALYZE in psql; a later --keep
// reuses it), --json, --queries (after the runs, each report query alone, timed).
// BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test).
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createDatabase, postgresClient, rowsOf, type DatabaseTarget, type Db } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { buildWeeklyReport } from '../../src/domain/reports/build-report.js';
import { weekPeriod } from '../../src/domain/reports/report-period.js';
import { renderHtml } from '../../src/domain/reports/render/render-html.js';
import { renderMarkdown } from '../../src/domain/reports/render/render-markdown.js';
import { withDatabase } from '../support/database.js';
import { DEFAULT_SERVER_URL } from './ingest/options.js';
import { trackProcessUsage } from './ingest/process-usage.js';
import { withScratchDatabase } from './ingest/scratch-database.js';
import { percentile } from './ingest/stats.js';
import { timeQueries } from './report/query-times.js';
import { DEFAULT_SHAPE, seedRunbooks, seedWeek, syncIdentities } from './report/seed-week.js';

const TARGETS = { reportMs: 3_000, peakRssMb: 200 };
const WEEK = '2026-W48';
const TZ = 'Europe/Berlin';
const KEPT_DATABASE = 'alertbook_bench_report';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'weeks-before': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    queries: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const weeksBefore = Number(args['weeks-before']);
const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
const median = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
const log = (line: string) => process.stderr.write(`${line}\n`);

async function seed(target: DatabaseTarget): Promise<void> {
  const client = postgresClient(target, { max: 1, onnotice: () => {} });
  try {
    const [seeded] = await client<{ n: number }[]>`select count(*)::int as n from incidents`;
    if (seeded!.n > 0) {
      log(`reusing the ${seeded!.n} incidents already seeded`);
      return;
    }
    const week = weekPeriod(WEEK, TZ);
    await seedRunbooks(client, DEFAULT_SHAPE, week.from);
    for (let w = weeksBefore; w >= 0; w--) {
      const started = performance.now();
      const weekStart = new Date(week.from.getTime() - w * 7 * 86_400_000);
      await seedWeek(client, DEFAULT_SHAPE, weekStart, 1 + (weeksBefore - w) * DEFAULT_SHAPE.incidents, 0.1 + w / 100);
      log(`seeded the week from ${weekStart.toISOString()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await syncIdentities(client);
    // As autovacuum would have by the time anyone asks for a report: planner statistics and the visibility map.
    await client`vacuum analyze`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

/** The floor: counting the week's occurrences, the fewest rows any report of the week must read. */
async function countWeek(db: Db): Promise<number> {
  const { from, to } = weekPeriod(WEEK, TZ);
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from alerts where starts_at >= ${from.toISOString()}::timestamptz and starts_at < ${to.toISOString()}::timestamptz`,
    ),
  );
  return row!.n;
}

async function measure(target: DatabaseTarget) {
  await seed(target);
  const database = await createDatabase({ target });
  try {
    const ctx = { db: database.db, clock: () => new Date('2026-12-01T09:00:00Z'), defaultTz: TZ };
    const usage = trackProcessUsage();
    const reportMs: number[] = [];
    const renderMs: number[] = [];
    const floorMs: number[] = [];
    let summary = {};
    // The first report is timed too: a report is made once a week, on a cold cache as often as not.
    for (let i = 0; i < runs; i++) {
      const [ms, report] = await timed(async () => {
        const r = await buildWeeklyReport({ ctx, input: { week: WEEK, tz: TZ } });
        JSON.stringify(r);
        return r;
      });
      reportMs.push(ms);
      const [rendered] = await timed(async () => [renderMarkdown(report), renderHtml(report)]);
      renderMs.push(rendered);
      const [floor, occurrences] = await timed(() => countWeek(database.db));
      floorMs.push(floor);
      summary = {
        incidents: report.volume.incidentsOpened.value,
        occurrences: report.volume.occurrencesFired.value,
        counted: occurrences,
        flapping: report.noise.flapping.length,
        jsonBytes: JSON.stringify(report).length,
      };
      log(
        `run ${i + 1}: report ${ms.toFixed(0)} ms, render ${rendered.toFixed(0)} ms, count(*) ${floor.toFixed(0)} ms`,
      );
    }
    const { peakRssBytes } = usage.stop();
    if (args.queries)
      for (const [name, ms] of await timeQueries(database.db, weekPeriod(WEEK, TZ)))
        log(`query ${name}: ${ms.toFixed(0)} ms`);
    return { summary, reportMs, renderMs, floorMs, peakRssMb: peakRssBytes / 1024 / 1024 };
  } finally {
    await database.close();
  }
}

async function keptDatabase(): Promise<DatabaseTarget> {
  const admin = postgresClient(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${KEPT_DATABASE}`;
    if (!exists) await admin.unsafe(`create database ${KEPT_DATABASE}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const target = withDatabase(serverUrl, KEPT_DATABASE);
  await runMigrations(target);
  log(`database kept: ${target}`);
  return target;
}

const loadAtStart = loadavg()[0]!;
const result = args.keep ? await measure(await keptDatabase()) : await withScratchDatabase(serverUrl, measure);
const figures = {
  week: `${WEEK} (${TZ})`,
  ...result.summary,
  reportMs: { best: Math.min(...result.reportMs), median: median(result.reportMs), runs: result.reportMs },
  renderMs: { median: median(result.renderMs) },
  floorMs: { best: Math.min(...result.floorMs), median: median(result.floorMs) },
  peakRssMb: Math.round(result.peakRssMb),
  loadAverage: { start: loadAtStart, end: loadavg()[0]! },
};
if (args.json) console.log(JSON.stringify(figures, null, 2));
else {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log(`| figure | value | target |
|---|---|---|
| week | ${figures.week}: ${JSON.stringify(result.summary)} | |
| whole report (median of ${runs}; each run) | ${figures.reportMs.median.toFixed(0)} ms (${result.reportMs.map((ms) => ms.toFixed(0)).join(', ')}) | < ${TARGETS.reportMs} ms ${verdict(figures.reportMs.median < TARGETS.reportMs)} |
| floor: count(*) of the week's occurrences (median) | ${figures.floorMs.median.toFixed(0)} ms | |
| report / floor | ${(figures.reportMs.median / figures.floorMs.median).toFixed(1)}× | |
| markdown + HTML rendering (median) | ${figures.renderMs.median.toFixed(0)} ms | |
| peak RSS of this process | ${figures.peakRssMb} MB | < ${TARGETS.peakRssMb} MB ${verdict(figures.peakRssMb < TARGETS.peakRssMb)} |
| 1-min load average | ${loadAtStart.toFixed(1)} → ${figures.loadAverage.end.toFixed(1)} | |`);
}
