// The two patches of postgres.js 3.4.9 in .patches/, each pinned by a test that fails without it.
import { connect, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pipelinedOnPostgresJs } from '../../src/db/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
const clients: postgres.Sql[] = [];

function client(options: postgres.Options<{}> = {}): postgres.Sql {
  const created = postgres(database.url!, { max: 1, onnotice: () => {}, ...options });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
  await database?.destroy();
});

describe('postgres.js patch 001, crash guard (upstream porsager/postgres#1209)', () => {
  it("settles a transaction whose backend the server terminated, and the client's next query runs", async () => {
    const locker = client();
    const victim = client();
    await locker`create table crash_guard_probe (id int)`;
    await victim`select 1`; // connected before the lock is taken
    let outcome: Promise<unknown> | undefined;
    await locker.begin(async (tx) => {
      await tx`lock table crash_guard_probe in access exclusive mode`;
      // begin() answers the failure with a ROLLBACK, written to a connection the server is closing.
      outcome = victim
        .begin((t) => t`select * from crash_guard_probe`)
        .then(
          () => 'committed',
          (error: { code?: string }) => error.code,
        );
      const pid = await vi.waitFor(
        async () => {
          const [row] = await tx<{ pid: number }[]>`
            select a.pid from pg_stat_activity a join pg_locks l on l.pid = a.pid
            where not l.granted and l.relation = 'crash_guard_probe'::regclass
              and l.database = (select oid from pg_database where datname = current_database())`;
          if (!row) throw new Error('the victim is not waiting on the lock yet');
          return row.pid;
        },
        { timeout: 5_000, interval: 25 },
      );
      await tx`select pg_terminate_backend(${pid})`;
    });
    // Without the guard: a TypeError from nextWrite's timer (an uncaught exception) and a promise never settled.
    await expect(outcome).resolves.toMatch(/^(57P01|CONNECTION_CLOSED|CONNECTION_DESTROYED)$/);
    // The client recovers. The first query after the teardown may still fail (CONNECTION_CLOSED, or the
    // backend's FATAL error, which postgres.js keeps across the reconnect): it settles, and the next one runs.
    await victim`select 1`.catch(() => {});
    await expect(victim`select 1 as one`).resolves.toEqual([{ one: 1 }]);
  }, 15_000);
});

/**
 * A connected socket whose `write` calls (postgres.js makes one per flush; each is
 * one system call) are counted. Wrapped once connected: node's connect() puts
 * Socket.prototype.write back on the instance.
 */
function countingSocket(host: string, port: number): Promise<Socket & { writes: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => {
      const counted = Object.assign(socket, { writes: 0 });
      const write = socket.write;
      socket.write = function (this: Socket, ...args: unknown[]) {
        counted.writes += 1;
        return Reflect.apply(write, this, args) as boolean;
      } as Socket['write'];
      resolve(counted);
    });
    socket.once('error', reject);
  });
}

describe('postgres.js patch 002, write gathering', () => {
  it('writes a pipelined batch of several KB in one socket write', async () => {
    const sockets: (Socket & { writes: number })[] = [];
    // postgres.js's `socket` option (a function returning a connected socket) is missing from its types.
    const socket = async ({ host: [host], port: [port] }: { host: string[]; port: number[] }) => {
      const connected = await countingSocket(host!, port!);
      sockets.push(connected);
      return connected;
    };
    const counting = client({ socket } as postgres.Options<{}>);
    const pipelined = pipelinedOnPostgresJs(counting);
    // Six statements of ~600 bytes each: before the patch, every query that took the
    // buffer past 1 KiB was written at once, the rest on the next turn of the event loop.
    const batch = () => Array.from({ length: 6 }, (_, i) => sql`select ${`${i}`.padEnd(600, '.')}::text as v`);
    // The first batch also prepares the statement (a round trip of its own).
    await pipelined((p) => p.commit(batch()));
    const [connection] = sockets;
    expect(sockets).toHaveLength(1);
    const before = connection!.writes;
    const answers = await pipelined((p) => p.commit(batch()));
    expect(answers).toHaveLength(6);
    expect(connection!.writes - before).toBe(1);
  });
});
