// Once-work (snapshot on resolve, auto-run cells) across replicas: the outbox, claimed with SKIP LOCKED under a lease.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { OutboxKind } from '../../src/db/schema/index.js';
import { IncidentBus } from '../../src/domain/incident-bus.js';
import { claimOutboxJob, startOutboxWorker, type OutboxWorker } from '../../src/domain/replicas/outbox-worker.js';
import { createLogger } from '../../src/logger.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { useTestApp } from '../support/app.js';
import { deliver } from '../support/api.js';
import { amAlert, amNotification } from '../support/payloads.js';

// Both kinds of once-work are about the incident's runbook: these alerts have one, `Unmapped` has none.
const RUNBOOK = `---
id: once-work
title: Once-work
alerts: [A, B, Once, Crash, Failing]
---
# Once-work
`;
const dir = mkdtempSync(join(tmpdir(), 'alertbook-once-runbooks-'));
writeFileSync(join(dir, 'once-work.md'), RUNBOOK);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let library: RunbookLibrary;

const t = useTestApp({
  runbooks: {
    catalogue: { link: (alert) => library.catalogue.link(alert) },
    reload: () => library.reload(),
  },
});
const logger = createLogger({ silent: true });
const workers: OutboxWorker[] = [];
const NO_WORK = { 'auto-run-cells': null, 'snapshot-on-resolve': null };

/** A replica's worker that records what it ran. */
function replica(name: string, runs: Array<{ replica: string; kind: OutboxKind; incidentId: number }>, options = {}) {
  const handler = (kind: OutboxKind) => async (incidentId: number) => {
    runs.push({ replica: name, kind, incidentId });
  };
  const worker = startOutboxWorker({
    db: t().database.db,
    bus: t().bus,
    logger,
    handlers: { 'auto-run-cells': handler('auto-run-cells'), 'snapshot-on-resolve': handler('snapshot-on-resolve') },
    ...options,
  });
  workers.push(worker);
  return worker;
}

async function outboxRows() {
  return rowsOf<{ kind: string; incidentId: string }>(
    await t().database.db.execute(sql`select kind, incident_id as "incidentId" from outbox order by id`),
  );
}

beforeEach(async () => {
  workers.length = 0;
  library = new RunbookLibrary({ dir, db: t().database.db, logger });
  await library.reload();
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

describe('the outbox', () => {
  it('is written by the transaction that opens or resolves an incident, whichever path resolves it', async () => {
    await deliver(t(), amNotification([amAlert({ alertname: 'A' })]));
    await deliver(t(), amNotification([amAlert({ alertname: 'A', status: 'resolved' })]));
    await deliver(t(), amNotification([amAlert({ alertname: 'B' })]));
    expect((await t().api('/incidents/2/resolve', { method: 'POST' })).status).toBe(200);

    expect(await outboxRows()).toEqual([
      { kind: 'auto-run-cells', incidentId: '1' },
      { kind: 'snapshot-on-resolve', incidentId: '1' },
      { kind: 'auto-run-cells', incidentId: '2' },
      { kind: 'snapshot-on-resolve', incidentId: '2' },
    ]);
  });

  it('is not written for an incident without a runbook, until one is linked by hand', async () => {
    await deliver(t(), amNotification([amAlert({ alertname: 'Unmapped' })]));
    expect(await outboxRows()).toEqual([]);

    const linked = await t().api('/incidents/1/runbook', { method: 'POST', json: { id: 'once-work' } });
    expect(linked.status).toBe(200);
    expect((await t().api('/incidents/1/resolve', { method: 'POST' })).status).toBe(200);
    expect(await outboxRows()).toEqual([{ kind: 'snapshot-on-resolve', incidentId: '1' }]);
  });

  it('has each row worked once by two replicas woken by the same change', async () => {
    const runs: Array<{ replica: string; kind: OutboxKind; incidentId: number }> = [];
    const a = replica('a', runs);
    const b = replica('b', runs);
    await deliver(t(), amNotification([amAlert({ alertname: 'Once' })]));
    expect((await t().api('/incidents/1/resolve', { method: 'POST' })).status).toBe(200);

    await Promise.all([a.drain(), b.drain()]);
    expect(runs.map(({ kind, incidentId }) => [kind, incidentId]).sort()).toEqual([
      ['auto-run-cells', 1],
      ['snapshot-on-resolve', 1],
    ]);
    expect(await outboxRows()).toEqual([]);
  });

  it('answers a storm of wakes with a claim per pause, not one per opened incident', async () => {
    const db = t().database.db;
    let statements = 0;
    const counted = new Proxy(db, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key !== 'execute') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<typeof db.execute>) => {
          statements += 1;
          return db.execute(...args);
        };
      },
    });
    const bus = new IncidentBus();
    const worker = startOutboxWorker({ db: counted, bus, logger, handlers: NO_WORK });
    workers.push(worker);
    await worker.drain();
    statements = 0;

    // 150 incidents opened 2 ms apart (a storm no runbook covers: no row to claim).
    const storm = setInterval(() => bus.publish({ incidentId: 1, types: ['incident.opened'] }), 2);
    await sleep(300);
    clearInterval(storm);
    await worker.drain();
    // One claim per 50 ms pause at the most, and the last wakes still answered by a run.
    expect(statements).toBeGreaterThanOrEqual(2);
    expect(statements).toBeLessThanOrEqual(12);
  });

  it('retries a row claimed by a replica that crashed, once its lease has run out', async () => {
    await deliver(t(), amNotification([amAlert({ alertname: 'Crash' })]));
    // The replica that crashed: it claimed the row, then never finished nor released it.
    const claimed = await claimOutboxJob(t().database.db, 300);
    expect(claimed).toMatchObject({ kind: 'auto-run-cells', incidentId: 1, attempts: 1 });

    const runs: Array<{ replica: string; kind: OutboxKind; incidentId: number }> = [];
    const survivor = replica('survivor', runs, { pollMs: 50 });
    await survivor.drain();
    expect(runs).toEqual([]); // still leased

    await expect
      .poll(() => runs, { timeout: 5_000, interval: 50 })
      .toEqual([{ replica: 'survivor', kind: 'auto-run-cells', incidentId: 1 }]);
    await expect.poll(outboxRows, { timeout: 5_000, interval: 50 }).toEqual([]);
  });

  it('retries a failed run after a pause, and gives up after the last attempt', async () => {
    await deliver(t(), amNotification([amAlert({ alertname: 'Failing' })]));
    let attempts = 0;
    const worker = startOutboxWorker({
      db: t().database.db,
      logger,
      maxAttempts: 2,
      handlers: {
        'auto-run-cells': async () => {
          attempts += 1;
          throw new Error('runner broke');
        },
        'snapshot-on-resolve': null,
      },
    });
    workers.push(worker);
    await worker.drain();
    expect(attempts).toBe(1);
    const [row] = rowsOf<{ attempts: number; pause: number }>(
      await t().database.db.execute(
        sql`select attempts, extract(epoch from claimed_until - now())::float as pause from outbox`,
      ),
    );
    expect(row!.attempts).toBe(1);
    expect(row!.pause).toBeGreaterThan(20);

    await t().database.db.execute(sql`update outbox set claimed_until = now() - interval '1 s'`);
    await worker.drain();
    expect(attempts).toBe(2);
    expect(await outboxRows()).toEqual([]);
  });
});
