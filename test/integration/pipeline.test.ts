import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Pipelined transactions (src/db/pipeline.ts), on the embedded Postgres or, with
// TEST_DATABASE_URL, on that server, through a pool of two connections, so a
// connection handed back in a bad state would be met again at once.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 2 });
});
beforeEach(() => database.reset());
afterAll(() => database?.destroy());

const notification = (hash: string) => sql`
  insert into notifications (content_hash, receiver, status, alert_count, first_received_at, last_received_at)
  values (${hash}, 'r', 'firing', 1, now(), now())
  returning content_hash as hash`;

async function storedHashes(): Promise<string[]> {
  const rows = rowsOf<{ content_hash: string }>(
    await database.db.execute(sql`select content_hash from notifications order by content_hash`),
  );
  return rows.map((r) => r.content_hash);
}

describe('pipelined transactions', () => {
  it('runs a batch in order, each statement seeing the ones before it, and answers each', async () => {
    const answers = await database.pipelined(async (pipeline) => {
      const first = await pipeline.send([notification('a'), sql`select count(*)::int as n from notifications`]);
      const second = await pipeline.send([notification('b'), sql`select count(*)::int as n from notifications`]);
      return [...first, ...second];
    });
    expect(answers).toEqual([[{ hash: 'a' }], [{ n: 1 }], [{ hash: 'b' }], [{ n: 2 }]]);
    expect(await storedHashes()).toEqual(['a', 'b']);
  });

  it('commits with the last batch, after which nothing more can be sent', async () => {
    const attempt = database.pipelined(async (pipeline) => {
      await pipeline.send([notification('a')]);
      const last = await pipeline.commit([notification('b')]);
      expect(last).toEqual([[{ hash: 'b' }]]);
      await pipeline.send([notification('c')]);
    });
    await expect(attempt).rejects.toThrow(/nothing can be sent after commit/);
    expect(await storedHashes()).toEqual(['a', 'b']);
  });

  it('keeps nothing when a statement of the committing batch fails', async () => {
    const attempt = database.pipelined(async (pipeline) => {
      await pipeline.send([notification('a')]);
      await pipeline.commit([notification('b'), notification('b')]);
    });
    await expect(attempt).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key|unique/i) });
    expect(await storedHashes()).toEqual([]);
  });

  it('rejects with the statement that failed, not with the aborted ones after it, and keeps nothing', async () => {
    const attempt = database.pipelined((pipeline) =>
      pipeline.send([notification('a'), notification('a'), sql`select 1 as one`]),
    );
    await expect(attempt).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key|unique/i) });
    expect(await storedHashes()).toEqual([]);
  });

  it('rolls back when the work throws between batches', async () => {
    const attempt = database.pipelined(async (pipeline) => {
      await pipeline.send([notification('a')]);
      throw new Error('decided against it');
    });
    await expect(attempt).rejects.toThrow('decided against it');
    expect(await storedHashes()).toEqual([]);
  });

  it('leaves every pooled connection usable after failures', async () => {
    for (let i = 0; i < 5; i++) {
      await expect(database.pipelined((pipeline) => pipeline.send([sql`select 1 / 0`]))).rejects.toThrow(
        /division by zero/,
      );
      await expect(
        database.pipelined(async (pipeline) => {
          await pipeline.send([notification(`x${i}`)]);
          throw new Error('abandoned');
        }),
      ).rejects.toThrow('abandoned');
    }
    await expect(
      database.pipelined((pipeline) => pipeline.commit([notification('y'), sql`select 1 / 0`])),
    ).rejects.toThrow(/division by zero/);
    const done = await Promise.all(
      Array.from({ length: 6 }, (_, i) => database.pipelined((pipeline) => pipeline.send([notification(`ok${i}`)]))),
    );
    expect(done).toHaveLength(6);
    expect(await storedHashes()).toEqual(['ok0', 'ok1', 'ok2', 'ok3', 'ok4', 'ok5']);
  });

  it('runs a lone statement as its own transaction: no BEGIN before it, kept whole or not at all', async () => {
    const [started] = await database.pipelined((pipeline) =>
      pipeline.alone(sql`select transaction_timestamp() = statement_timestamp() as "startedTheTransaction"`),
    );
    expect(started).toEqual({ startedTheTransaction: true });

    const twice = sql`with first as (${notification('a')}) ${notification('a')}`;
    for (let i = 0; i < 3; i++) {
      await expect(database.pipelined((pipeline) => pipeline.alone(twice))).rejects.toMatchObject({
        message: expect.stringMatching(/duplicate key|unique/i),
      });
    }
    expect(await storedHashes()).toEqual([]);

    const attempt = database.pipelined(async (pipeline) => {
      expect(await pipeline.alone(notification('b'))).toEqual([{ hash: 'b' }]);
      await pipeline.send([notification('c')]);
    });
    await expect(attempt).rejects.toThrow(/nothing can be sent after commit/);
    // Both pooled connections still work after the failures above.
    await Promise.all(['d', 'e'].map((hash) => database.pipelined((pipeline) => pipeline.alone(notification(hash)))));
    expect(await storedHashes()).toEqual(['b', 'd', 'e']);
  });
});
