// The newest-first reads of incidents must come in the order of incidents_started_at_id_idx, so that a page is
// a walk of the index, not a sort of every matching incident (38 ms for 125,000, growing with the table).
// Checked on the plans of the very statements the code sends: with sorting priced out (enable_sort off), the
// planner still sorts only when no index gives the order.
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, postgresClient } from '../../src/db/client.js';
import * as schema from '../../src/db/schema/index.js';
import { earlierIncidents } from '../../src/domain/incidents/earlier-incidents.js';
import { listIncidents } from '../../src/domain/incidents/list-incidents.js';
import { deliver } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const app = useTestApp();

interface SentQuery {
  query: string;
  params: unknown[];
}

let client: ReturnType<typeof postgresClient>;
let sent: SentQuery[];
let db: Db;

beforeAll(() => {
  client = postgresClient(app().database.target, { max: 1, onnotice: () => {} });
  db = drizzle(client, {
    schema,
    logger: { logQuery: (query, params) => sent.push({ query, params }) },
  }) as unknown as Db;
});

afterAll(async () => {
  await client.end();
});

/** The plan of each statement `read` sent that orders its rows. */
async function plansOf(read: () => Promise<unknown>): Promise<string[]> {
  sent = [];
  await read();
  const ordered = sent.filter((s) => /\border by\b/i.test(s.query));
  expect(ordered.length).toBeGreaterThan(0);
  return client.begin(async (tx) => {
    await tx.unsafe('set local enable_sort = off');
    const plans: string[] = [];
    for (const { query, params } of ordered) {
      const rows = await tx.unsafe(`explain ${query}`, params as never[]);
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  });
}

describe('newest-first reads of incidents', () => {
  it('the incident list pages through the (started_at, id) index, with or without a cursor', async () => {
    const [firstPage] = await plansOf(() => listIncidents({ ctx: { db }, input: {} }));
    expect(firstPage).toContain('incidents_started_at_id_idx');
    expect(firstPage).not.toMatch(/\bSort\b/);

    const cursor = Buffer.from('2026-11-02T00:00:00.000Z|7').toString('base64url');
    const [nextPage] = await plansOf(() => listIncidents({ ctx: { db }, input: { cursor } }));
    expect(nextPage).not.toMatch(/\bSort\b/);
  });

  it('the earlier incidents can be read walking that index back from the incident', async () => {
    const summary = await deliver(app(), amNotification([amAlert({ alertname: 'DiskFull' })]));
    const id = (summary.incidents as number[])[0]!;
    const plans = await plansOf(() => earlierIncidents({ ctx: { db }, input: { id } }));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('incidents_started_at_id_idx');
    expect(plans[0]).not.toMatch(/\bSort\b/);
  });
});
