import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { errorFields, type Logger } from '../../logger.js';

// Small batches, each its own short statement: row locks on a few thousand rows, never the table for long.
const DEFAULT_BATCH = 1_000;
const HOURLY_MS = 60 * 60_000;

/**
 * Deletes the delivery log (the `notifications` rows) last received before
 * `olderThan`, in batches; incidents, alerts, timelines, snapshots, decisions
 * and stored reports stay. Returns how many rows went.
 */
export async function pruneDeliveryLog(db: Db, olderThan: Date, batch = DEFAULT_BATCH): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = rowsOf<{ id: string }>(
      await db.execute(sql`
        delete from notifications where id in (
          select id from notifications where last_received_at < ${olderThan.toISOString()}::timestamptz
          order by id limit ${batch} for update skip locked)
        returning id`),
    );
    deleted += rows.length;
    if (rows.length < batch) return deleted;
  }
}

/** Prunes at start and every hour (ALERTBOOK_RETENTION); safe on every replica at once (SKIP LOCKED). */
export function startRetention(deps: { db: Db; retentionMs: number; clock: () => Date; logger: Logger }) {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= pruneDeliveryLog(deps.db, new Date(deps.clock().getTime() - deps.retentionMs))
      .then((deleted) => {
        if (deleted > 0) deps.logger.info('pruned the delivery log', { deleted, retentionMs: deps.retentionMs });
      })
      .catch((error: unknown) => deps.logger.error('pruning the delivery log failed', errorFields(error)))
      .finally(() => (running = null));
    return running;
  };
  void run();
  const timer = setInterval(() => void run(), HOURLY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
