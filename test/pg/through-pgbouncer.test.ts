// Alertbook behind PgBouncer (session pooling), as teams put one in front of Postgres: intake, and the replicas'
// NOTIFY and LISTEN through it. PgBouncer refuses startup parameters it does not know: a connection setting of
// Alertbook's own would keep it from connecting at all (the first way replicas were named, migration 0010).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { linkReplicas, type ReplicaLink } from '../../src/db/replica-link.js';
import { IncidentBus, type IncidentChange } from '../../src/domain/incident-bus.js';
import { createLogger } from '../../src/logger.js';
import { deliver } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { type RunningPgBouncer, startPgBouncer } from '../support/pgbouncer.js';

let database: TestDatabase;
let bouncer: RunningPgBouncer;
const pools: Database[] = [];
const links: ReplicaLink[] = [];
let a: TestApp;
let b: TestApp;

/** A replica whose every connection, its LISTEN one included, goes through PgBouncer. */
async function replica(): Promise<TestApp> {
  const pool = await createDatabase({ target: bouncer.url });
  pools.push(pool);
  const logger = createLogger({ silent: true });
  const bus = new IncidentBus({ logger });
  links.push(await linkReplicas({ database: pool, bus, logger }));
  return createTestApp({ ...database, ...pool }, { bus });
}

beforeAll(async () => {
  database = await createTestDatabase();
  bouncer = await startPgBouncer(database.url!);
  a = await replica();
  b = await replica();
});

afterAll(async () => {
  for (const link of links) await link.stop();
  for (const pool of pools) await pool.close();
  await bouncer?.close();
  await database?.destroy();
});

function changesOn(app: TestApp): IncidentChange[] {
  const seen: IncidentChange[] = [];
  app.bus.subscribe((change) => seen.push(change));
  return seen;
}

describe('two replicas behind PgBouncer (session pooling)', () => {
  it('take a notification, and each hears the other’s changes once, not its own', async () => {
    const onA = changesOn(a);
    const onB = changesOn(b);
    const summary = await deliver(a, amNotification([amAlert({ alertname: 'BehindPgBouncer' })]));
    const id = (summary.incidents as number[])[0]!;
    await vi.waitFor(() => expect(onB.map((c) => c.incidentId)).toEqual([id]), { timeout: 5_000, interval: 10 });

    const note = await b.api(`/incidents/${id}/notes`, { method: 'POST', json: { text: 'through the pooler' } });
    expect(note.status).toBe(201);
    await vi.waitFor(() => expect(onA.some((c) => c.types.includes('note.added'))).toBe(true), {
      timeout: 5_000,
      interval: 10,
    });
    // A heard its own opening once (published after its commit), B's note once; neither echo came back.
    expect(onA).toEqual([
      { incidentId: id, types: expect.arrayContaining(['incident.opened']) },
      { incidentId: id, types: ['note.added'] },
    ]);
    expect(onB).toEqual([
      { incidentId: id, types: expect.arrayContaining(['incident.opened']) },
      { incidentId: id, types: ['note.added'] },
    ]);
  });
});
