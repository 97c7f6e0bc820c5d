import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// ingest_notification's small SQL helpers (migrations 0012, 0014) are there to be read once and inlined: one that
// is not runs through the SQL-function executor, which parses and plans its body again on every execution of the
// statement calling it (a tenth of the function's time for a 1-alert notification). The planner inlines a helper
// only when its body is no more volatile than the helper is declared; the plan's output then shows the body.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 1 });
});
afterAll(() => database?.destroy());

async function verbosePlan(query: ReturnType<typeof sql>): Promise<string> {
  const rows = rowsOf<{ 'QUERY PLAN': string }>(await database.db.execute(sql`explain (verbose, costs off) ${query}`));
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe("ingest_notification's helpers", () => {
  it("an alert event listing its alerts is planned as the helpers' bodies, not as calls to them", async () => {
    const plan = await verbosePlan(sql`
      select intake_alerts_listed(jsonb_agg(intake_listed_alert(o.fingerprint, o.labels, o.starts_at_iso)), count(*))
      from intake_occurrences(${JSON.stringify({ alerts: [] })}::jsonb) o`);
    expect(plan).toContain('jsonb_build_object');
    expect(plan).not.toMatch(/intake_\w+\(/);
  });
});
