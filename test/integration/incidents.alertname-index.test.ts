import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// An alertname fires for years: opening its next incident must not cost more for every incident it opened before.
// With a hash index on alertname (migration 0001) all of one alertname's incidents sat on one bucket's overflow
// chain, which every insert walked to its end: ~95 µs an insert after 200,000 of them, against ~5 µs for a btree.
// Measured in buffers touched, which do not depend on the machine's speed.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 1 });
});
afterAll(() => database?.destroy());

const HISTORY = 30_000;

/** Buffers touched by inserting one incident of this alertname (EXPLAIN ANALYZE runs the insert). */
async function buffersToOpen(alertname: string): Promise<number> {
  const rows = rowsOf<{ 'QUERY PLAN': string }>(
    await database.db.execute(sql`explain (analyze, buffers, costs off, timing off, summary off)
      insert into incidents (group_identity, receiver, group_labels, status, title, alertname, started_at)
      values (md5(random()::text), 'r', '{}', 'resolved', 't', ${alertname}, now())`),
  );
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const touched = /Buffers: shared (?:hit=(\d+))?\s*(?:read=(\d+))?\s*(?:dirtied=(\d+))?/.exec(plan);
  expect(touched, plan).not.toBeNull();
  return Number(touched![1] ?? 0) + Number(touched![2] ?? 0);
}

describe("an alertname's incidents", () => {
  it('opening one more costs the same buffers whether the alertname opened none before or 30,000', async () => {
    await database.db.execute(sql`
      insert into incidents (group_identity, receiver, group_labels, status, title, alertname, started_at)
      select md5(n::text), 'r', '{}', 'resolved', 't', 'KubePodCrashLooping', now() - n * interval '1 minute'
      from generate_series(1, ${HISTORY}) n`);
    // Once each first, so that neither figure counts the relation's first opening in this session.
    await buffersToOpen('Fresh');
    await buffersToOpen('KubePodCrashLooping');

    const fresh = await buffersToOpen('NeverFiredBefore');
    const frequent = await buffersToOpen('KubePodCrashLooping');
    // Room for a page split in one of the table's indexes; the hash index's chain was ~75 pages here (84 against 11).
    expect(frequent).toBeLessThanOrEqual(fresh + 8);
  });
});
