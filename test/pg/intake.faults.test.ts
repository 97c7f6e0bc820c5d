import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { databaseThroughProxy } from '../support/proxied-database.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

// The mixed fault plan of issue #13: eight senders delivering 3-alert
// notifications while the server terminates the app's sessions, refuses its
// connections and goes silent (a blackhole) for longer than the deadline. The
// senders retry a 503 as Alertmanager does. Every request must be answered
// within the intake deadline, and in the end every notification is stored once.
const DEADLINE_MS = 2_000;
// What an answer may take beyond the deadline: the event loop's turn on a busy two-core machine.
const ANSWER_SLACK_MS = 1_000;
const SENDERS = 8;
const NOTIFICATIONS_PER_SENDER = 30;
const GROUPS_PER_SENDER = 3;
const ALERTS_PER_NOTIFICATION = 3;
const MOST_ATTEMPTS = 50;
// The app's sessions, told apart from the test's own by their application_name.
const APP_NAME = 'alertbook-under-faults';

let direct: TestDatabase;
let proxy: TcpProxy;
let app: TestApp;

beforeAll(async () => {
  direct = await createTestDatabase();
  let database: TestDatabase;
  ({ proxy, database } = await databaseThroughProxy(direct, { maxConnections: 4, applicationName: APP_NAME }));
  app = await createTestApp(database, {
    config: {
      webhookToken: 'test-webhook-token',
      apiTokens: [],
      bodyLimit: 1024 * 1024,
      intakeDeadlineMs: DEADLINE_MS,
    },
  });
});

afterAll(async () => {
  proxy?.restore();
  await app?.close();
  await proxy?.close();
  await direct?.destroy();
});

interface Attempt {
  status: number | 'unanswered';
  ms: number;
}

/** Answers so far, and a way to wait for more of them (or for the senders to be done). */
class Progress {
  answers = 0;
  finished = false;
  private waiting: Array<{ at: number; resolve: () => void }> = [];

  answered() {
    this.answers += 1;
    this.wake();
  }
  finish() {
    this.finished = true;
    this.wake();
  }
  /** Resolves once `count` more answers came, or the senders are done. */
  after(count: number): Promise<void> {
    const at = this.answers + count;
    return new Promise((resolve) => {
      this.waiting.push({ at, resolve });
      this.wake();
    });
  }
  private wake() {
    this.waiting = this.waiting.filter((w) => (this.finished || this.answers >= w.at ? (w.resolve(), false) : true));
  }
}

function notificationOf(sender: number, index: number) {
  const group = `Faulty-${sender}-${index % GROUPS_PER_SENDER}`;
  return amNotification(
    Array.from({ length: ALERTS_PER_NOTIFICATION }, (_, a) =>
      amAlert({ alertname: group, labels: { instance: `n${index}-a${a}` } }),
    ),
  );
}

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['incidents', 'alerts', 'notifications', 'timeline_events']) {
    const [row] = rowsOf<{ n: number }>(
      await direct.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`),
    );
    counts[table] = row!.n;
  }
  return counts;
}

describe('webhook intake under a mixed fault plan', () => {
  it('answers every request within the deadline, and stores every notification exactly once', async () => {
    const progress = new Progress();
    const attempts: Attempt[] = [];
    const faults = { terminated: 0, cut: 0, blackholed: 0 };

    /** One delivery, timed; one never answered counts as such after three deadlines (and fails the test). */
    async function deliver(body: unknown): Promise<Attempt> {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const unanswered = new Promise<'unanswered'>(
        (resolve) => (timer = setTimeout(() => resolve('unanswered'), 3 * DEADLINE_MS)),
      );
      const status = await Promise.race([app.hook(body).then((res) => res.status), unanswered]);
      clearTimeout(timer);
      const attempt = { status, ms: performance.now() - started };
      attempts.push(attempt);
      progress.answered();
      return attempt;
    }

    /** Delivers each of its notifications until a 200, retrying a 503 as Alertmanager does. */
    async function sender(id: number) {
      for (let index = 0; index < NOTIFICATIONS_PER_SENDER; index++) {
        const body = notificationOf(id, index);
        for (let attempt = 1; ; attempt++) {
          const { status } = await deliver(body);
          if (status === 200) break;
          if (status !== 503 || attempt === MOST_ATTEMPTS)
            throw new Error(`sender ${id}, notification ${index}: ${status} on attempt ${attempt}`);
          // Alertmanager's first retries come after about half a second; a shorter pause keeps the run short.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }

    async function terminateAppSessions() {
      await direct.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${APP_NAME}`,
      );
      faults.terminated += 1;
    }

    /** Cycles through the faults, each after some answers, until the senders are done. */
    async function faultPlan() {
      while (!progress.finished) {
        await progress.after(20);
        await terminateAppSessions();

        await progress.after(20);
        proxy.cut();
        faults.cut += 1;
        await progress.after(10);
        proxy.restore();

        await progress.after(20);
        proxy.blackhole();
        faults.blackholed += 1;
        // Only the deadline answers during a blackhole: every sender has had one.
        await progress.after(SENDERS);
        proxy.restore();
      }
    }

    const plan = faultPlan();
    const senders = Promise.all(Array.from({ length: SENDERS }, (_, id) => sender(id))).finally(() =>
      progress.finish(),
    );
    await senders;
    await plan;
    proxy.restore();

    expect(faults.terminated).toBeGreaterThan(0);
    expect(faults.cut).toBeGreaterThan(0);
    expect(faults.blackholed).toBeGreaterThan(0);
    expect(attempts.filter((a) => a.status === 'unanswered')).toEqual([]);
    expect(new Set(attempts.map((a) => a.status))).toEqual(new Set([200, 503]));
    const slowest = Math.max(...attempts.map((a) => a.ms));
    expect(slowest).toBeLessThanOrEqual(DEADLINE_MS + ANSWER_SLACK_MS);

    const notifications = SENDERS * NOTIFICATIONS_PER_SENDER;
    const incidents = SENDERS * GROUPS_PER_SENDER;
    expect(await rowCounts()).toEqual({
      incidents,
      alerts: notifications * ALERTS_PER_NOTIFICATION,
      notifications,
      // incident.opened once per group, alert.firing once per notification
      timeline_events: incidents + notifications,
    });
  }, 60_000);

  it('gives up a statement stuck behind a lock on both ends at the deadline, and the pool is whole again', async () => {
    const POOL = 4;
    const busySessions = async () =>
      rowsOf<{ n: number }>(
        await direct.db.execute(
          sql`select count(*)::int as n from pg_stat_activity where application_name = ${APP_NAME} and state <> 'idle'`,
        ),
      )[0]!.n;
    await direct.db.transaction(async (tx) => {
      await tx.execute(sql`lock table alerts in access exclusive mode`);
      // As many as the app has connections: each holds one, waiting for the lock.
      const stuck = await Promise.all(Array.from({ length: POOL }, (_, i) => app.hook(notificationOf(SENDERS + 1, i))));
      expect(stuck.map((r) => r.status)).toEqual(Array(POOL).fill(503));
      // The lock is still held, yet the server ends the statements (the transaction's statement_timeout)
      // and the app rolls back: no session of the app is left in a transaction.
      let busy = await busySessions();
      for (let check = 0; busy > 0 && check < 100; check++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        busy = await busySessions();
      }
      expect(busy).toBe(0);
    });
    const after = await Promise.all(Array.from({ length: POOL }, (_, i) => app.hook(notificationOf(SENDERS + 1, i))));
    expect(after.map((r) => r.status)).toEqual(Array(POOL).fill(200));
  });
});
