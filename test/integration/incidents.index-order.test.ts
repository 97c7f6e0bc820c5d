// The newest-first reads of incidents must come in the order of an index, so that a page is a walk of the index,
// not a sort of every matching incident (38 ms for 125,000, growing with the table); likewise intake's lookup of
// a group's latest incident (31 ms a delivery for a group of 20,000, under the group's lock).
// Checked on the plans of the very statements the code sends: with sorting priced out (enable_sort off), the
// planner still sorts only when no index gives the order.
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, postgresClient } from '../../src/db/client.js';
import { intakeInBatches } from '../../src/db/intake-batcher.js';
import { pipelinedOnPostgresJs } from '../../src/db/pipeline.js';
import * as schema from '../../src/db/schema/index.js';
import { earlierIncidents } from '../../src/domain/incidents/earlier-incidents.js';
import { ingestNotification } from '../../src/domain/incidents/ingest-notification.js';
import { listIncidents } from '../../src/domain/incidents/list-incidents.js';
import { parseNotification } from '../../src/domain/incidents/notification.js';
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
  return explain(ordered);
}

async function explain(ordered: SentQuery[], settings: string[] = []): Promise<string[]> {
  return client.begin(async (tx) => {
    for (const setting of ['enable_sort = off', ...settings]) await tx.unsafe(`set local ${setting}`);
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

  it("the list of one alertname's incidents is a walk of that alertname's index", async () => {
    const [page] = await plansOf(() => listIncidents({ ctx: { db }, input: { alertname: 'DiskFull' } }));
    expect(page).toContain('incidents_alertname_started_idx');
    expect(page).not.toMatch(/\bSort\b/);
  });

  it("the earlier incidents are read walking the alertname's index back from the incident", async () => {
    const summary = await deliver(app(), amNotification([amAlert({ alertname: 'DiskFull' })]));
    const id = (summary.incidents as number[])[0]!;
    const plans = await plansOf(() => earlierIncidents({ ctx: { db }, input: { id } }));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('incidents_alertname_started_idx');
    expect(plans[0]).not.toMatch(/\bSort\b/);
  });

  it("intake finds a group's latest incident by index probes, not by sorting the group's incidents", async () => {
    // As the other plans here: with sorting priced out, a sort remains only where no index gives the order.
    const plans = await intakePlans([amNotification([amAlert({ alertname: 'Flappy' })])], ['set enable_sort = off']);
    const lookups = plans.filter((plan) => plan.includes('group_identity'));
    expect(lookups.join('\n')).toContain('incidents_one_open_per_group');
    expect(lookups.join('\n')).toContain('incidents_group_started_idx');
    // An incremental sort of the index's ties on started_at is fine; a sort of the group's incidents is not.
    for (const plan of lookups) expect(plan).not.toMatch(/(^|->\s+)Sort\s/m);
  });

  it('a resolving notification probes its alerts by key and its incident by id, on young tables too', async () => {
    // The plans intake keeps for the session are made on whatever the tables hold then: here, next to nothing,
    // where reading all of an index costs the planner no more than probing it. They must be probes regardless.
    const plans = await intakePlans([
      amNotification([amAlert({ alertname: 'Settling' })]),
      amNotification([amAlert({ alertname: 'Settling', status: 'resolved' })]),
    ]);
    const alertsUpdate = plans.find((plan) => /UPDATE alerts/.test(plan));
    expect(alertsUpdate).toMatch(/Index Cond: \(occurrence_key = ANY/);
    const settle = plans.find((plan) => /UPDATE incidents/.test(plan));
    expect(settle).toMatch(/on incidents_pkey[^\n]*\n\s*Index Cond: \(id = ANY/);
    // Every read of an incident's alerts is by its id: none reads all the firing alerts' entries.
    const statusIndexReads = [...settle!.matchAll(/alerts_incident_status_idx[^\n]*\n\s*Index Cond: ([^\n]*)/g)];
    expect(statusIndexReads.length).toBeGreaterThan(0);
    for (const [, condition] of statusIndexReads) expect(condition).toContain('incident_id = i.id');
  });
});

/** The plans of the statements ingest_notification runs for these notifications, as auto_explain reports them. */
async function intakePlans(notifications: Record<string, unknown>[], settings: string[] = []): Promise<string[]> {
  const plans: string[] = [];
  const session = postgresClient(app().database.target, {
    max: 1,
    onnotice: (notice) => {
      if (notice.message?.includes('plan:')) plans.push(notice.message);
    },
  });
  // As createDatabase's pool: drizzle sets the client's serializers (a jsonb parameter goes as the text given).
  drizzle(session);
  try {
    for (const setting of [
      "load 'auto_explain'",
      'set auto_explain.log_min_duration = 0',
      'set auto_explain.log_nested_statements = on',
      'set client_min_messages = log',
      ...settings,
    ])
      await session.unsafe(setting);
    for (const notification of notifications)
      await ingestNotification({
        ctx: { db, clock: () => new Date(), intake: intakeInBatches(pipelinedOnPostgresJs(session)) },
        input: parseNotification(notification),
      });
  } finally {
    await session.end();
  }
  return plans;
}
