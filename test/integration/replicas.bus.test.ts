// Two apps on one database, as two replicas would be: each with its own bus, joined over LISTEN/NOTIFY.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IncidentChange } from '../../src/domain/incident-bus.js';
import { IncidentBus } from '../../src/domain/incident-bus.js';
import { createDatabase, postgresClient, replicaApplicationName, rowsOf, type Database } from '../../src/db/client.js';
import { LISTENER_APPLICATION_NAME, linkReplicas, type ReplicaLink } from '../../src/db/replica-link.js';
import { createLogger } from '../../src/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { deliver } from '../support/api.js';

let database: TestDatabase;
/** Replica B's own connection pool: a replica is a process, with a pool of its own. */
let poolB: Database;
let a: TestApp;
let b: TestApp;
let linkA: ReplicaLink;
let linkB: ReplicaLink;
/** Opened by a test to let replica B listen again after its connection dropped. */
let reopenB: () => void;
let bLostItsListener: Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  const logger = createLogger({ silent: true });
  const busA = new IncidentBus({ logger });
  const busB = new IncidentBus({ logger });
  poolB = await createDatabase({ target: database.target });
  a = await createTestApp(database, { bus: busA });
  b = await createTestApp({ ...database, ...poolB }, { bus: busB });
  linkA = await linkReplicas({ database, bus: busA, logger });
  linkB = await linkReplicas({
    database: poolB,
    bus: busB,
    logger,
    reconnectDelay: () => {
      let lost!: () => void;
      bLostItsListener = new Promise((resolve) => (lost = resolve));
      lost();
      return new Promise<void>((resolve) => (reopenB = resolve));
    },
  });
});

afterAll(async () => {
  await linkA.stop();
  await linkB.stop();
  await poolB.close();
  await a.close();
});

function changesOn(app: TestApp): IncidentChange[] {
  const seen: IncidentChange[] = [];
  app.bus.subscribe((change) => seen.push(change));
  return seen;
}

// No reset between tests: a replica's place in the timeline (event ids) must not go back as a truncation would.
async function openIncident(app: TestApp, alertname: string): Promise<number> {
  const summary = await deliver(app, amNotification([amAlert({ alertname })]));
  return (summary.incidents as number[])[0]!;
}

function until(condition: () => boolean): Promise<void> {
  return vi.waitFor(() => expect(condition()).toBe(true), { timeout: 5_000, interval: 10 });
}

describe('two replicas on one database', () => {
  it('tells replica B of a note added through replica A, once, and A only once (no echo)', async () => {
    const onA = changesOn(a);
    const onB = changesOn(b);
    const id = await openIncident(a, 'NoteFromA');

    const res = await a.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'seen from B' } });
    expect(res.status).toBe(201);

    await until(() => onB.some((c) => c.types.includes('note.added')));
    expect(onB).toEqual([
      { incidentId: id, types: expect.arrayContaining(['incident.opened', 'alert.firing']) },
      { incidentId: id, types: ['note.added'] },
    ]);
    // A replica's connections name it, as the NOTIFY does (and as poolers pass on).
    const names = await database.db.execute(
      sql`select distinct application_name as name from pg_stat_activity
        where datname = current_database() and application_name not like ${`${LISTENER_APPLICATION_NAME}%`}`,
    );
    expect((names as unknown as { name: string }[]).map((r) => r.name).sort()).toEqual(
      [replicaApplicationName(database.replica), replicaApplicationName(poolB.replica)].sort(),
    );
    // Let A's own notification come back over LISTEN, then check it was not delivered twice.
    await b.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'from B' } });
    await until(() => onA.filter((c) => c.types.includes('note.added')).length === 2);
    expect(onA.map((c) => c.types)).toEqual([
      expect.arrayContaining(['incident.opened']),
      ['note.added'],
      ['note.added'],
    ]);
  });

  it('tells both replicas of a timeline event committed by a connection of neither (the database NOTIFYs it)', async () => {
    const onA = changesOn(a);
    const onB = changesOn(b);
    const id = await openIncident(a, 'WrittenElsewhere');
    await until(() => onB.length === 1);
    onA.length = 0;
    onB.length = 0;

    // A connection of no replica, as the CLI's; the same holds for a replica that died right after its commit.
    const outsider = postgresClient(database.target, { max: 1, onnotice: () => {} });
    await outsider`insert into timeline_events (incident_id, type, at, actor, data)
      values (${id}, 'note.added', now(), 'someone', ${outsider.json({ text: 'from outside' })})`;
    await outsider.end();

    await until(() => onA.length === 1 && onB.length === 1);
    expect(onA).toEqual([{ incidentId: id, types: ['note.added'] }]);
    expect(onB).toEqual([{ incidentId: id, types: ['note.added'] }]);
  });

  it('after its LISTEN connection dropped, B listens again and delivers what A committed meanwhile', async () => {
    const onB = changesOn(b);
    const id = await openIncident(a, 'WhileDeaf');
    // B has seen the opening (so the catch-up below can only be about what follows).
    await until(() => onB.length === 1);
    onB.length = 0;
    await database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${`${LISTENER_APPLICATION_NAME} ${linkB.replica}`}`,
    );
    await until(() => bLostItsListener !== undefined);
    await bLostItsListener;

    const res = await a.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'while B was deaf' } });
    expect(res.status).toBe(201);
    reopenB();

    await until(() => onB.some((c) => c.types.includes('note.added')));
    expect(onB).toEqual([{ incidentId: id, types: ['note.added'] }]);
    // And it listens again: the next note arrives by NOTIFY.
    await a.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'B hears again' } });
    await until(() => onB.length === 2);
    expect(onB[1]).toEqual({ incidentId: id, types: ['note.added'] });
  });
});

describe('which replicas are told', () => {
  const channelOf = (link: ReplicaLink) => `${LISTENER_APPLICATION_NAME} ${link.replica}`;
  const listed = async () =>
    rowsOf<{ channel: string }>(
      await database.db.execute(sql`select channel from replica_listeners order by channel`),
    ).map((row) => row.channel);
  /** A third replica on the same database, with its own pool and bus. */
  async function replicaC(options: { heartbeatMs?: number } = {}) {
    const pool = await createDatabase({ target: database.target });
    // Connected before it joins, so that joining takes only its own statements.
    await pool.db.execute(sql`select 1`);
    const bus = new IncidentBus({ logger: createLogger({ silent: true }) });
    const seen: IncidentChange[] = [];
    bus.subscribe((change) => seen.push(change));
    const joining = linkReplicas({ database: pool, bus, logger: createLogger({ silent: true }), ...options });
    return { pool, seen, joining };
  }

  it("sends a change to every other replica's channel and never to the writer's own", async () => {
    const id = await openIncident(a, 'ToOthersOnly');
    const onChannel = new Map<string, string[]>();
    const eavesdropper = postgresClient(database.target, { max: 1, onnotice: () => {} });
    for (const link of [linkA, linkB]) {
      onChannel.set(channelOf(link), []);
      await eavesdropper.listen(channelOf(link), (payload) => onChannel.get(channelOf(link))!.push(payload));
    }

    await a.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'from A' } });
    await b.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'from B' } });

    // A channel hears in commit order: had A's own note come back to it, it would be there before B's.
    await until(() => onChannel.get(channelOf(linkA))!.length > 0 && onChannel.get(channelOf(linkB))!.length > 0);
    const heard = (link: ReplicaLink) => onChannel.get(channelOf(link))!.map((p) => JSON.parse(p) as { e: number });
    const [toA, toB] = [heard(linkA), heard(linkB)];
    expect(toA).toEqual([{ i: id, t: ['note.added'], e: expect.any(Number) }]);
    expect(toB).toEqual([{ i: id, t: ['note.added'], e: expect.any(Number) }]);
    // B was told of A's note, A of B's, later.
    expect(toB[0]!.e).toBeLessThan(toA[0]!.e);
    await eavesdropper.end();
  });

  it('a replica that joins waits for a writer that looked for listeners before it, so its viewers read that change', async () => {
    const id = await openIncident(a, 'JoinedMidWrite');
    const writer = postgresClient(database.target, { max: 1, onnotice: () => {} });
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let appended!: () => void;
    const wasAppended = new Promise<void>((resolve) => (appended = resolve));
    const writing = writer.begin(async (tx) => {
      await tx`insert into timeline_events (incident_id, type, at, actor, data)
        values (${id}, 'note.added', now(), 'someone', ${tx.json({ text: 'mid-join' })})`;
      appended();
      await committing;
    });
    await wasAppended;

    const c = await replicaC();
    let commitRequested = false;
    const joined = c.joining.then((link) => ({ link, commitRequested }));
    // C is listed and waits for the writer: its listener's latest statement looks for the lock the writer holds.
    const latestOfC = async () =>
      rowsOf<{ query: string }>(
        await database.db.execute(
          sql`select query from pg_stat_activity where application_name = ${`${LISTENER_APPLICATION_NAME} ${c.pool.replica}`}`,
        ),
      )[0]?.query ?? '';
    await vi.waitFor(async () => expect(await latestOfC()).toContain('pg_locks'), { timeout: 5_000, interval: 10 });
    commitRequested = true;
    commit();
    await writing;

    const { link, commitRequested: afterCommit } = await joined;
    expect(afterCommit).toBe(true);
    await link.stop();
    await c.pool.close();
    await writer.end();
  });

  it('a replica found delisted at its heartbeat lists itself again and delivers what it was not told', async () => {
    const id = await openIncident(a, 'WhileDelisted');
    const c = await replicaC({ heartbeatMs: 20 });
    const link = await c.joining;
    const channelC = channelOf(link);

    // Delisted in the very transaction that appends: the trigger cannot see C, so only the catch-up can tell it.
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`delete from replica_listeners where channel = ${channelC}`);
      await tx.execute(sql`insert into timeline_events (incident_id, type, at, actor, data)
        values (${id}, 'note.added', now(), 'someone', '{"text":"unheard"}')`);
    });

    await until(() => c.seen.some((change) => change.incidentId === id));
    expect(c.seen).toEqual([{ incidentId: id, types: ['note.added'] }]);
    expect(await listed()).toContain(channelC);
    await link.stop();
    await c.pool.close();
  });

  it('after a heartbeat, a reconnect re-reads none of what the replica wrote itself', async () => {
    const own = await openIncident(a, 'WrittenByC');
    const other = await openIncident(a, 'WrittenByA');
    const c = await replicaC({ heartbeatMs: 20 });
    const link = await c.joining;

    // C's own change: never NOTIFYed to C, so only its heartbeat can move its floor past it.
    await c.pool.db.execute(sql`insert into timeline_events (incident_id, type, at, actor, data)
      values (${own}, 'note.added', now(), 'someone', '{"text":"by C"}')`);
    const [{ committed }] = rowsOf<{ committed: string }>(
      await database.db.execute(sql`select clock_timestamp()::text as committed`),
    ) as [{ committed: string }];
    // A heartbeat that began after the commit has read it.
    await vi.waitFor(
      async () => {
        const [row] = rowsOf<{ after: boolean }>(
          await database.db.execute(sql`select seen_at > ${committed}::timestamptz as after
            from replica_listeners where channel = ${channelOf(link)}`),
        );
        expect(row?.after).toBe(true);
      },
      { timeout: 5_000, interval: 10 },
    );

    await database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${channelOf(link)}`,
    );
    await a.api(`/incidents/${other}/notes`, { method: 'POST', json: { text: 'while C reconnects' } });
    await until(() => c.seen.some((change) => change.incidentId === other));
    expect(c.seen).toEqual([{ incidentId: other, types: ['note.added'] }]);
    await link.stop();
    await c.pool.close();
  });

  it('a stopped replica delists itself; rows not seen for a minute go at the next join or heartbeat', async () => {
    const stale = sql`now() - interval '2 minutes'`;
    await database.db.execute(sql`insert into replica_listeners (channel, seen_at)
      values ('alertbook-listener crashed', ${stale}), ('alertbook-listener alive', now())`);
    const c = await replicaC({ heartbeatMs: 20 });
    const link = await c.joining;
    expect(await listed()).toEqual(
      [channelOf(linkA), channelOf(linkB), channelOf(link), 'alertbook-listener alive'].sort(),
    );
    await database.db.execute(
      sql`insert into replica_listeners (channel, seen_at) values ('alertbook-listener crashed later', ${stale})`,
    );
    await vi.waitFor(async () => expect(await listed()).not.toContain('alertbook-listener crashed later'), {
      timeout: 5_000,
      interval: 10,
    });

    await link.stop();
    await c.pool.close();
    await database.db.execute(sql`delete from replica_listeners where channel = 'alertbook-listener alive'`);
    expect(await listed()).toEqual([channelOf(linkA), channelOf(linkB)].sort());
  });
});
