import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixture } from '../support/fixtures.js';
import { databaseThroughProxy } from '../support/proxied-database.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

// The app reaches its database through a proxy the tests cut; the test itself
// looks at the same database directly, so it can count rows during the outage.
let direct: TestDatabase;
let proxy: TcpProxy;
let app: TestApp;

beforeAll(async () => {
  direct = await createTestDatabase();
  let database: TestDatabase;
  ({ proxy, database } = await databaseThroughProxy(direct, { maxConnections: 4 }));
  app = await createTestApp(database);
});

beforeEach(async () => {
  proxy.restore();
  await direct.reset();
});

afterAll(async () => {
  await app?.close();
  await proxy?.close();
  await direct?.destroy();
});

interface Payload {
  alerts: Array<{ labels: Record<string, string>; fingerprint: string }>;
  commonLabels: Record<string, string>;
}

const firingSingle = () => fixture<Payload>('alertmanager/am025-lab_firing_single.json');

/** The single-alert fixture grown to `count` alerts of one group, each its own occurrence. */
function firingMany(count: number): Payload {
  const base = firingSingle();
  const template = base.alerts[0]!;
  const { instance: _varies, ...commonLabels } = base.commonLabels;
  return {
    ...base,
    commonLabels,
    alerts: Array.from({ length: count }, (_, i) => ({
      ...template,
      labels: { ...template.labels, instance: `db-${i}` },
      fingerprint: i.toString(16).padStart(16, '0'),
    })),
  };
}

/** Rows in every table of the schema, so a partial write anywhere shows up. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = rowsOf<{ table_name: string }>(
    await direct.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    ),
  ).map((t) => t.table_name);
  expect(tables).toContain('alerts');
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = rowsOf<{ n: number }>(
      await direct.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`),
    );
    counts[table] = row!.n;
  }
  return counts;
}

/**
 * Runs `request` while this test holds `table` locked, so the app's
 * transaction stops at its first touch of it; the server then terminates that
 * backend, as a restart, a failover or idle_in_transaction_session_timeout would.
 */
async function terminatedWhileWaitingOn(table: string, request: () => Promise<Response>): Promise<Response> {
  return direct.db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${sql.identifier(table)} in access exclusive mode`);
    const answer = request();
    const pid = await backendWaitingOn(table);
    await direct.db.execute(sql`select pg_terminate_backend(${pid})`);
    return answer;
  });
}

/** The pid of the backend waiting for a lock on `table`, once there is one. */
async function backendWaitingOn(table: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [row] = rowsOf<{ pid: number }>(
      await direct.db.execute(sql`
        select a.pid from pg_stat_activity a join pg_locks l on l.pid = a.pid
        where not l.granted and l.relation = ${table}::regclass
          -- Other test files share the server; a relation's oid means something only in its own database.
          and l.database = (select oid from pg_database where datname = current_database())`),
    );
    if (row) return row.pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no backend came to wait on ${table}`);
}

async function expectNothingStored() {
  const counts = await rowCounts();
  expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((table) => [table, 0])));
}

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await res.json()).toEqual({
    error: { code: 'unavailable', message: expect.any(String), requestId: expect.any(String) },
  });
}

describe('webhook intake when Postgres goes away', () => {
  it('answers 503 with Retry-After while the database is unreachable, then records the retry exactly once', async () => {
    proxy.cut();
    await expectUnavailable(await app.hook(firingSingle()));
    await expectNothingStored();

    proxy.restore();
    const retried = await app.hook(firingSingle());
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'ok', fresh: true, changed: 1 });
    const once = { alerts: 1, incidents: 1, notifications: 1, timeline_events: 2 };
    expect(await rowCounts()).toMatchObject(once);

    // Alertmanager may deliver it yet again (its own retry raced ours): still one of each.
    const again = await app.hook(firingSingle());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ fresh: false, changed: 0 });
    expect(await rowCounts()).toMatchObject(once);
  });

  it('answers 503 when the server ends the session mid-transaction, then takes the retry and more on a sound pool', async () => {
    await expectUnavailable(await terminatedWhileWaitingOn('alerts', () => app.hook(firingSingle())));
    await expectNothingStored();

    const retried = await app.hook(firingSingle());
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ fresh: true, changed: 1 });
    // More deliveries than the app has connections: none meets a dead one.
    for (let i = 0; i < 6; i++) expect((await app.hook(firingMany(i + 2))).status).toBe(200);
    expect(await rowCounts()).toMatchObject({ notifications: 7 });
  });

  it('answers 503 to an API write whose session the server ends mid-transaction, and takes it again afterwards', async () => {
    // API writes go through drizzle's transaction, postgres.js's begin(), whose
    // ROLLBACK on the dead connection crashed the process before the driver patch (.patches/).
    const opened = await app.hook(firingSingle());
    const [incidentId] = ((await opened.json()) as { incidents: number[] }).incidents;
    const eventsBefore = (await rowCounts()).timeline_events!;

    const ack = () => app.api(`/incidents/${incidentId}/ack`, { method: 'POST' });
    await expectUnavailable(await terminatedWhileWaitingOn('timeline_events', ack));
    expect((await rowCounts()).timeline_events).toBe(eventsBefore);

    expect((await ack()).status).toBe(200);
    expect((await rowCounts()).timeline_events).toBe(eventsBefore + 1);
  });

  it('leaves no partial rows when the connection dies in the middle of a large notification', async () => {
    const body = firingMany(10_000);

    // Measure how many bytes a complete ingest sends, then cut halfway through them.
    const before = proxy.bytesUp;
    expect((await app.hook(body)).status).toBe(200);
    const fullIngestBytes = proxy.bytesUp - before;
    await direct.reset();

    const cut = proxy.cutAfter(Math.floor(fullIngestBytes / 2));
    await expectUnavailable(await app.hook(body));
    await cut;
    await expectNothingStored();

    proxy.restore();
    const retried = await app.hook(body);
    expect(retried.status).toBe(200);
    expect(await rowCounts()).toMatchObject({
      incidents: 1,
      alerts: 10_000,
      notifications: 1,
      // incident.opened + one alert.firing event for the whole batch
      timeline_events: 2,
    });
  });
});
