import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgresClient, rowsOf } from '../../src/db/client.js';
import { intakeInBatches, type IntakeBatchObserver } from '../../src/db/intake-batcher.js';
import { ingestBatchStatement, type IntakeRequest } from '../../src/db/intake-statements.js';
import type { RunPipelined } from '../../src/db/pipeline.js';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { ingestNotification } from '../../src/domain/incidents/ingest-notification.js';
import { parseNotification } from '../../src/domain/incidents/notification.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

// Small notifications that arrive while intake's transactions are busy go together, as one transaction
// (src/db/intake-batcher.ts, migration 0016). Each must still be recorded, and answered, exactly as it would be alone.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.destroy());
beforeEach(() => database.reset());

/** The database's pipelined transactions, counted: one per batch, or per notification sent alone. */
function countedTransactions(): { pipelined: RunPipelined; count(): number } {
  let count = 0;
  return {
    pipelined: (work, deadline) => {
      count += 1;
      return database.pipelined(work, deadline);
    },
    count: () => count,
  };
}

/** What the batcher reports: the size of each transaction it sent, and how many batches it retried alone. */
function observed(): IntakeBatchObserver & { sizes: number[]; retries: number } {
  return {
    sizes: [],
    retries: 0,
    sent(notifications) {
      this.sizes.push(notifications);
    },
    retried() {
      this.retries += 1;
    },
  };
}

function firing(alertname: string) {
  return parseNotification(amNotification([amAlert({ alertname })]));
}

async function timelineOf(incidentId: number): Promise<string[]> {
  const rows = rowsOf<{ type: string }>(
    await database.db.execute(sql`select type from timeline_events where incident_id = ${incidentId} order by id`),
  );
  return rows.map((r) => r.type);
}

async function count(table: 'incidents' | 'alerts' | 'notifications'): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ${sql.raw(table)}`));
  return row!.n;
}

describe('intake in batches', () => {
  it('commits notifications that arrive together in fewer transactions, each answered as it would be alone', async () => {
    const transactions = countedTransactions();
    const observer = observed();
    const ctx = { db: database.db, clock: () => new Date(), intake: intakeInBatches(transactions.pipelined, observer) };
    const summaries = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ingestNotification({ ctx, input: firing(`Batched${i}`) })),
    );
    // The first two find a free slot and go alone at once; the 18 that arrived meanwhile go as one.
    expect(transactions.count()).toBe(3);
    expect(observer.sizes).toEqual([1, 1, 18]);
    for (const summary of summaries) expect(summary).toMatchObject({ fresh: true, alerts: 1, changed: 1 });
    expect(new Set(summaries.flatMap((s) => s.incidents)).size).toBe(20);
    await expect(count('incidents')).resolves.toBe(20);
    await expect(count('alerts')).resolves.toBe(20);
    for (const summary of summaries)
      await expect(timelineOf(summary.incidents[0]!)).resolves.toEqual(['incident.opened', 'alert.firing']);
  });

  it("keeps one group's notifications in the order they arrived, and finds a repeat a duplicate, inside one batch", async () => {
    const transactions = countedTransactions();
    const ctx = { db: database.db, clock: () => new Date(), intake: intakeInBatches(transactions.pipelined) };
    const resolved = parseNotification(amNotification([amAlert({ alertname: 'Ordered', status: 'resolved' })]));
    const [, , first, repeat, resolving] = await Promise.all(
      [firing('Busy1'), firing('Busy2'), firing('Ordered'), firing('Ordered'), resolved].map((input) =>
        ingestNotification({ ctx, input }),
      ),
    );
    expect(transactions.count()).toBe(3);
    expect(first).toMatchObject({ fresh: true, changed: 1 });
    expect(repeat).toMatchObject({ fresh: false, changed: 0 });
    expect(resolving).toMatchObject({ fresh: true, changed: 1, incidents: first!.incidents });
    await expect(timelineOf(first!.incidents[0]!)).resolves.toEqual([
      'incident.opened',
      'alert.firing',
      'alert.resolved',
      'incident.resolved',
    ]);
  });

  it('sends a notification of more than 100 alerts at once, alone, while the slots are busy', async () => {
    let open = 0;
    let mostOpen = 0;
    const intake = intakeInBatches(async (work, deadline) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      try {
        return await database.pipelined(work, deadline);
      } finally {
        open -= 1;
      }
    });
    const large = request('large');
    large.alerts = Array.from({ length: 101 }, (_, i) => ({ ...large.alerts[0]!, key: `occurrence ${i} of large` }));
    large.alert_count = 101;
    const answers = await Promise.all([intake(request('busy-1')), intake(request('busy-2')), intake(large)]);
    expect(mostOpen).toBe(3);
    expect(answers[2]).toMatchObject({ fresh: true, changed: 101 });
  });

  it('answers a member that fails with its own error, and commits the others once', async () => {
    const transactions = countedTransactions();
    const observer = observed();
    const intake = intakeInBatches(transactions.pipelined, observer);
    const answers = await Promise.allSettled([
      intake(request('busy-1')),
      intake(request('busy-2')),
      intake(request('good-1')),
      intake({ ...request('bad'), now: 'not a time' }),
      intake(request('good-2')),
    ]);
    // Two alone, the batch of three that failed, then each of the three alone.
    expect(transactions.count()).toBe(6);
    expect(observer).toMatchObject({ sizes: [1, 1, 3], retries: 1 });
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((answers[3] as PromiseRejectedResult).reason)).toMatch(/not a time/);
    for (const answer of [answers[2], answers[4]])
      expect((answer as PromiseFulfilledResult<unknown>).value).toMatchObject({ fresh: true, changed: 1 });
    await expect(count('notifications')).resolves.toBe(4);
    await expect(count('incidents')).resolves.toBe(4);
  });

  it("takes its groups' locks in one order whatever the order of its members, so batches never deadlock", async () => {
    // Two groups named by the order of their lock keys (lock_alert_group's).
    const [low, high] = await identitiesInLockOrder('group-a', 'group-b');
    // Listed high first: taken in that order, the batch would hold high's lock while it waits for low's.
    await sendBatchBehindHeldLock(low!, [request(high!), request(low!)], async (pid) => {
      const granted = await database.db.execute(
        sql`select 1 from pg_locks where pid = ${pid} and locktype = 'advisory' and granted`,
      );
      expect(granted).toHaveLength(0);
    });
    await expect(count('notifications')).resolves.toBe(2);
  });

  it("keeps a member's lock wait bound to that member: the next one waits as the session would", async () => {
    const [first, second] = await identitiesInLockOrder('group-a', 'group-b');
    // The first member's deadline is all but gone; the second has none, so it waits for the held lock as long as it
    // takes. Had the first's 1 ms bound stayed set, the second would fail on it instead of waiting.
    await sendBatchBehindHeldLock(second!, [{ ...request(first!), lock_timeout_ms: 1 }, request(second!)]);
    await expect(count('notifications')).resolves.toBe(2);
  });
});

/**
 * Sends `requests` as one batch from a session of its own while another holds `held`'s group lock; once the batch
 * waits on that lock (`pg_locks`, no timed wait), runs `whileWaiting` with the batch's backend pid, then lets the
 * lock go and resolves when the batch has committed. Fails if the batch ends without waiting.
 */
async function sendBatchBehindHeldLock(
  held: string,
  requests: IntakeRequest[],
  whileWaiting: (pid: number) => Promise<void> = async () => {},
): Promise<void> {
  const holder = postgresClient(database.target, { max: 1, onnotice: () => {} });
  const batchSession = postgresClient(database.target, { max: 1, onnotice: () => {} });
  // As createDatabase's pool: drizzle sets the client's serializers (a jsonb parameter goes as the text given).
  drizzle(batchSession);
  try {
    const holding = await holder.reserve();
    await holding`begin`;
    await holding`select lock_alert_group(${held})`;
    const [{ pid }] = (await batchSession`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
    const query = new PgDialect().sqlToQuery(ingestBatchStatement(requests));
    const batch = batchSession.unsafe(query.sql, query.params as never[]).execute();
    // Awaited below; a failure before that is the test's, not an unhandled rejection.
    batch.catch(() => {});
    await Promise.race([
      vi.waitFor(
        async () =>
          expect(
            await database.db.execute(
              sql`select 1 from pg_locks where pid = ${pid} and locktype = 'advisory' and not granted`,
            ),
          ).toHaveLength(1),
        { timeout: 5_000, interval: 10 },
      ),
      batch.then(() => {
        throw new Error('the batch ended without waiting for the held lock');
      }),
    ]);
    await whileWaiting(pid);
    await holding`commit`;
    holding.release();
    await batch;
  } finally {
    await Promise.all([holder.end({ timeout: 1 }), batchSession.end({ timeout: 1 })]);
  }
}

/** The identities in the order a batch takes their groups' locks (by lock_alert_group's key). */
async function identitiesInLockOrder(...identities: string[]): Promise<string[]> {
  const rows = rowsOf<{ identity: string }>(
    await database.db.execute(
      sql`select identity from jsonb_array_elements_text(${JSON.stringify(identities)}::jsonb) identity
          order by hashtextextended(identity, 0)`,
    ),
  );
  return rows.map((r) => r.identity);
}

/** A 1-alert firing notification of its own group, as ingestNotification would send it. */
function request(identity: string): IntakeRequest {
  return {
    identity,
    content_hash: `hash of ${identity}`,
    receiver: 'alertbook',
    group_key: `{}:{group="${identity}"}`,
    status: 'firing',
    alert_count: 1,
    truncated_alerts: 0,
    now: new Date().toISOString(),
    group_labels: { group: identity },
    external_url: null,
    alertname: 'Batched',
    summary: null,
    severity: null,
    actor: 'alertmanager',
    runbook_shas: {},
    alerts: [
      {
        key: `occurrence of ${identity}`,
        fingerprint: '0123456789abcdef',
        status: 'firing',
        labels: { alertname: 'Batched', group: identity },
        annotations: {},
        starts_at: '2026-12-06T09:00:00.000Z',
        ends_at: null,
        generator_url: null,
      },
    ],
  };
}
