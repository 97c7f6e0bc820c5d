// `npm run bench:retention`: what ALERTBOOK_RETENTION's pruning costs. A scratch database on real Postgres gets
// --rows old delivery-log rows (default 200,000) and --recent rows that stay; pruneDeliveryLog deletes the old ones
// in batches of each --batch size (default 1000, the service's, and 10000) while a writer keeps recording
// notifications beside it, as intake does. Prints per batch size: batches, per-batch time, the longest batch
// (each batch is one autocommit statement, so no row lock is held longer) and the writer's slowest write.
// Options: --rows 200000 --recent 20000 --batch 1000,10000 --json.
// BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test).
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createDatabase, type Db } from '../../src/db/client.js';
import { pruneDeliveryLog } from '../../src/domain/retention/prune-delivery-log.js';
import { DEFAULT_SERVER_URL } from './ingest/options.js';
import { withScratchDatabase } from './ingest/scratch-database.js';
import { percentile } from './ingest/stats.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    recent: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '1000,10000' },
    json: { type: 'boolean', default: false },
  },
});
const positive = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
};

interface BatchRun {
  batch: number;
  deleted: number;
  batches: number;
  totalMs: number;
  batchMs: { p50: number; p99: number; max: number };
  /** The concurrent writer's slowest insert while pruning ran: what a lock would have made it wait. */
  writerMaxMs: number;
  writes: number;
}

const RETENTION_DAYS = 90;

/** `rows` notifications last received 100–200 days ago, then `recent` ones of the last day (the ones that stay). */
async function seed(db: Db, rows: number, recent: number): Promise<void> {
  await db.execute(sql`truncate notifications restart identity`);
  await db.execute(sql`
    insert into notifications (content_hash, receiver, group_key, status, alert_count, first_received_at, last_received_at)
    select md5('old' || i), 'bench', '{}:{alertname="Bench' || (i % 100) || '"}', 'resolved', 10,
           now() - interval '200 days' + i * (interval '100 days' / ${rows}),
           now() - interval '200 days' + i * (interval '100 days' / ${rows})
      from generate_series(1, ${rows}) i`);
  await db.execute(sql`
    insert into notifications (content_hash, receiver, group_key, status, alert_count, first_received_at, last_received_at)
    select md5('recent' || i), 'bench', '{}:{alertname="Bench' || (i % 100) || '"}', 'firing', 10,
           now() - interval '1 day', now() - interval '1 day'
      from generate_series(1, ${recent}) i`);
  await db.execute(sql`vacuum analyze notifications`);
}

/** `db` whose every `execute` (one batch's delete in pruneDeliveryLog) is timed. */
function timedExecutes(db: Db, times: number[]): Db {
  return new Proxy(db, {
    get(target, property) {
      if (property !== 'execute') return Reflect.get(target, property, target);
      return async (...query: Parameters<Db['execute']>) => {
        const started = performance.now();
        const result = await target.execute(...query);
        times.push(performance.now() - started);
        return result;
      };
    },
  });
}

/** Records a new notification (and bumps a recent one) back to back until stopped, timing each. */
function startWriter(db: Db) {
  const times: number[] = [];
  let stopped = false;
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      const started = performance.now();
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          insert into notifications (content_hash, receiver, status, alert_count, first_received_at, last_received_at)
          values (md5('writer' || ${i} || clock_timestamp()), 'bench', 'firing', 1, now(), now())`);
        await tx.execute(sql`
          update notifications set deliveries = deliveries + 1, last_received_at = now()
           where content_hash = md5('recent' || ${1 + (i % 1000)})`);
      });
      times.push(performance.now() - started);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return times;
    },
  };
}

async function measure(db: Db, batch: number, rows: number, recent: number): Promise<BatchRun> {
  await seed(db, rows, recent);
  const times: number[] = [];
  const writer = startWriter(db);
  const olderThan = new Date(Date.now() - RETENTION_DAYS * 86_400_000);
  const started = performance.now();
  const deleted = await pruneDeliveryLog(timedExecutes(db, times), olderThan, batch);
  const totalMs = performance.now() - started;
  const writes = await writer.stop();
  const [left] = (await db.execute(sql`
    select count(*) filter (where last_received_at < ${olderThan.toISOString()}::timestamptz)::int as old,
           count(*) filter (where content_hash = any (select md5('recent' || i) from generate_series(1, ${recent}) i))::int as kept
      from notifications`)) as unknown as Array<{ old: number; kept: number }>;
  if (deleted !== rows || left!.old !== 0 || left!.kept !== recent)
    throw new Error(
      `deleted ${deleted} of ${rows} old rows, ${left!.old} old left, ${left!.kept} of ${recent} recent kept`,
    );
  const sorted = [...times].sort((a, b) => a - b);
  return {
    batch,
    deleted,
    batches: times.length,
    totalMs,
    batchMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
    writerMaxMs: Math.max(...writes),
    writes: writes.length,
  };
}

async function main(): Promise<void> {
  const rows = positive('rows', args.rows!);
  const recent = positive('recent', args.recent!);
  const batches = args.batch!.split(',').map((b) => positive('batch', b));
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  const loadAtStart = loadavg()[0]!;
  const results = await withScratchDatabase(serverUrl, async (target) => {
    // Two connections: the pruning and the writer beside it.
    const database = await createDatabase({ target, maxConnections: 2 });
    try {
      const runs: BatchRun[] = [];
      for (const batch of batches) {
        process.stderr.write(`seeding ${rows.toLocaleString('en-US')} old rows, pruning in batches of ${batch}…\n`);
        runs.push(await measure(database.db, batch, rows, recent));
      }
      return runs;
    } finally {
      await database.close();
    }
  });
  const loadAverage = { start: loadAtStart, end: loadavg()[0]! };
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ rows, recent, loadAverage, results }, null, 2)}\n`);
    return;
  }
  const ms = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  process.stdout.write(
    `${[
      `Retention: ${rows.toLocaleString('en-US')} delivery-log rows older than ${RETENTION_DAYS} days deleted beside ` +
        `${recent.toLocaleString('en-US')} that stay, a writer recording notifications meanwhile`,
      `1-minute load average ${loadAverage.start.toFixed(1)} before, ${loadAverage.end.toFixed(1)} after`,
      '',
      '| batch | batches | total s | per batch p50 ms | p99 ms | longest batch = longest lock held, ms | writer: writes, slowest ms |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.batch} | ${r.batches} | ${ms(r.totalMs / 1000)} | ${ms(r.batchMs.p50)} | ${ms(r.batchMs.p99)} | ` +
          `${ms(r.batchMs.max)} | ${r.writes}, ${ms(r.writerMaxMs)} |`,
      ),
    ].join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
