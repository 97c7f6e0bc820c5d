import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import type { OutboxKind } from '../../db/schema/index.js';
import { errorFields, type Logger } from '../../logger.js';
import type { IncidentBus } from '../incident-bus.js';

/** Does one outbox row's work; throws to have it retried (after a pause, up to `maxAttempts`). */
export type OutboxHandler = (incidentId: number, signal: AbortSignal) => Promise<void>;

export interface OutboxJob {
  id: number;
  kind: OutboxKind;
  incidentId: number;
  attempts: number;
}

export interface OutboxWorkerOptions {
  db: Db;
  /** What each kind does here; `null`: switched off on this replica, its rows are completed without work. */
  handlers: Record<OutboxKind, OutboxHandler | null>;
  logger: Logger;
  /** Wakes the worker when an incident opens or resolves (here or, over LISTEN, on another replica). */
  bus?: IncidentBus;
  /** How long a claim holds a row: past it, a replica that died while working no longer does. */
  leaseMs?: number;
  /** How often to look for rows nobody was woken for (a lease that ran out, a retry that is due). */
  pollMs?: number;
  maxAttempts?: number;
}

export interface OutboxWorker {
  /** Works until no row is claimable (tests, and what `settled` meant for the in-process runs). */
  drain(): Promise<void>;
  /** Stops polling, aborts the work in flight and waits for it (before closing the database). */
  stop(): Promise<void>;
}

const WAKING_EVENTS = new Set(['incident.opened', 'incident.resolved']);
const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_POLL_MS = 15_000;
const DEFAULT_MAX_ATTEMPTS = 5;
// A failed attempt waits attempts × this before it is claimable again.
const RETRY_PAUSE_MS = 30_000;
// Runs woken by changes start at least this long after the last one ended: in a storm of opened
// incidents (on this replica or, over LISTEN, any other) one claim per pause, not one per incident,
// most of which find nothing (an incident without a runbook writes no row).
const WAKE_PAUSE_MS = 50;

/**
 * Claims the oldest claimable row for `leaseMs`. SKIP LOCKED lets replicas
 * claim side by side without waiting on each other's row; the lease, in the
 * database's clock, makes the claim outlive this statement's transaction.
 */
export async function claimOutboxJob(db: Db, leaseMs: number): Promise<OutboxJob | null> {
  const [row] = rowsOf<{ id: string; kind: OutboxKind; incidentId: string; attempts: number }>(
    await db.execute(sql`
      update outbox set claimed_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1
      where id = (
        select id from outbox where claimed_until is null or claimed_until < now()
        order by id limit 1 for update skip locked)
      returning id, kind, incident_id as "incidentId", attempts`),
  );
  return row
    ? { id: Number(row.id), kind: row.kind, incidentId: Number(row.incidentId), attempts: row.attempts }
    : null;
}

/**
 * Does the outbox's work on this replica: one row at a time, each row once
 * across every replica of the database (while its lease holds), and again
 * after a crash (when the lease has run out).
 */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, handlers, logger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const stopping = new AbortController();
  let working: Promise<void> | null = null;
  let wokenWhileWorking = false;

  const complete = (job: OutboxJob) => db.execute(sql`delete from outbox where id = ${job.id}`);

  const fail = async (job: OutboxJob, error: unknown) => {
    const fields = { kind: job.kind, incidentId: job.incidentId, attempts: job.attempts, ...errorFields(error) };
    if (job.attempts >= maxAttempts) {
      logger.error('once-work failed for the last time; giving up', fields);
      await complete(job);
      return;
    }
    logger.warn('once-work failed; it will be retried', fields);
    await db.execute(
      sql`update outbox set claimed_until = now() + make_interval(secs => ${(job.attempts * RETRY_PAUSE_MS) / 1000}) where id = ${job.id}`,
    );
  };

  const workOff = async () => {
    for (;;) {
      if (stopping.signal.aborted) return;
      const job = await claimOutboxJob(db, leaseMs);
      if (!job) return;
      const handler = handlers[job.kind];
      try {
        if (handler) await handler(job.incidentId, stopping.signal);
      } catch (error) {
        // Stopped mid-run: the lease runs out and a replica still running does it again.
        if (!stopping.signal.aborted) await fail(job, error);
        continue;
      }
      if (!stopping.signal.aborted) await complete(job);
    }
  };

  let pausedRun: ReturnType<typeof setTimeout> | null = null;
  let lastRunEnded = Number.NEGATIVE_INFINITY;
  const runAfterPause = () => {
    pausedRun ??= setTimeout(() => void run(), Math.max(0, lastRunEnded + WAKE_PAUSE_MS - performance.now()));
  };

  /** Works off the outbox now, or, while a run is working, once more after it (and its pause). */
  const run = (): Promise<void> => {
    if (working) {
      wokenWhileWorking = true;
      return working;
    }
    if (pausedRun) clearTimeout(pausedRun);
    pausedRun = null;
    working = workOff()
      .catch((error: unknown) => logger.error('the outbox could not be worked off', errorFields(error)))
      .finally(() => {
        working = null;
        lastRunEnded = performance.now();
        if (wokenWhileWorking && !stopping.signal.aborted) {
          wokenWhileWorking = false;
          runAfterPause();
        }
      });
    return working;
  };
  /** A change that may have written a row: a run now, or once the pause after the last run is over. */
  const wake = () => {
    if (working) wokenWhileWorking = true;
    else if (performance.now() - lastRunEnded >= WAKE_PAUSE_MS) void run();
    else runAfterPause();
  };

  const unsubscribe =
    options.bus?.subscribe((change) => {
      if (change.types.some((type) => WAKING_EVENTS.has(type))) wake();
    }) ?? (() => {});
  const poll = setInterval(wake, options.pollMs ?? DEFAULT_POLL_MS);
  // Rows left by a replica that stopped (or this one, before a restart).
  wake();

  return {
    async drain() {
      // A run already working may have made its last claim before the caller's commit: a run of our own after it.
      while (working) await working;
      await run();
      while (working) await working;
    },
    async stop() {
      unsubscribe();
      clearInterval(poll);
      stopping.abort();
      if (pausedRun) clearTimeout(pausedRun);
      while (working) await working;
    },
  };
}
