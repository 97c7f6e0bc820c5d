import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordSnapshot } from '../../src/domain/snapshots/record-snapshot.js';
import { createLogger } from '../../src/logger.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { deliver } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

const NOW = new Date('2026-11-22T08:00:00Z');
const RUNBOOK = `---
title: Queue backlog
alerts: [QueueBacklogHigh]
---
# Queue backlog

- [ ] Check the consumer pods
- [ ] Scale the consumers
`;

const dir = mkdtempSync(join(tmpdir(), 'alertbook-export-'));
writeFileSync(join(dir, 'queue-backlog.md'), RUNBOOK);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let app: TestApp;
const t = () => app;
beforeAll(async () => {
  const database = await createTestDatabase();
  const library = new RunbookLibrary({ dir, db: database.db, logger: createLogger({ silent: true }) });
  app = await createTestApp(database, { clock: () => NOW, runbooks: library });
});
afterAll(() => app?.close());
beforeEach(async () => {
  await app.database.reset();
  // The reset emptied the runbook tables too.
  await app.api('/runbooks/reload', { method: 'POST' });
});

/** An incident with every kind of story: ack, tick, notes (one edited, one deleted), a snapshot. */
async function storiedIncident(): Promise<number> {
  const answer = await deliver(
    t(),
    amNotification([amAlert({ alertname: 'QueueBacklogHigh', labels: { queue: 'orders', severity: 'critical' } })]),
  );
  const id = (answer.incidents as number[])[0]!;
  const post = (path: string, json: unknown = {}) => t().api(`/incidents/${id}${path}`, { method: 'POST', json });
  await post('/ack');
  await post('/steps/step-check-the-consumer-pods', { checked: true });
  const note = (await (
    await post('/notes', { text: 'Consumers stuck on <script>alert(1)</script> a lock' })
  ).json()) as {
    id: number;
  };
  await t().api(`/incidents/${id}/notes/${note.id}`, {
    method: 'PUT',
    json: { text: 'Consumers **stuck** on a lock' },
  });
  const gone = (await (await post('/notes', { text: 'wrong incident, sorry' })).json()) as { id: number };
  await t().api(`/incidents/${id}/notes/${gone.id}`, { method: 'DELETE' });
  const start = NOW.getTime() / 1000 - 600;
  await recordSnapshot(
    { db: t().database.db, clock: () => NOW, datasources: new Datasources([]) },
    {
      incidentId: id,
      actor: 'bob',
      query: { query: 'queue_depth{queue="orders"}', datasource: 'default', start, end: start + 600, step: 60 },
      result: {
        resultType: 'matrix',
        series: [
          { metric: { queue: 'orders' }, values: Array.from({ length: 11 }, (_, i) => [start + i * 60, i * 10]) },
        ],
        truncated: false,
        totalSeries: 1,
        warnings: [],
      },
    },
  );
  await post('/resolve');
  return id;
}

describe('GET /incidents/:id/export', () => {
  it('writes a markdown postmortem draft: summary, window, alerts, runbook, ticked steps, notes as they read now, snapshot values, timeline', async () => {
    const id = await storiedIncident();
    const res = await t().api(`/incidents/${id}/export`);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md = await res.text();
    expect(md).toMatch(new RegExp(`^# Incident ${id}: `));
    expect(md).toContain('| Acknowledged | 2026-11-22T08:00:00Z |');
    expect(md).toContain('| QueueBacklogHigh | job="api", queue="orders", severity="critical" |');
    expect(md).toContain('Queue backlog (`queue-backlog`) at version `');
    expect(md).toContain('- [x] Check the consumer pods — alice, 2026-11-22T08:00:00Z');
    expect(md).not.toContain('Scale the consumers');
    expect(md).toContain('> Consumers **stuck** on a lock');
    expect(md).not.toContain('wrong incident');
    expect(md).toContain('| time (UTC) | {queue="orders"} |');
    expect(md).toContain('| 08:00:00 | 100 |');
    expect(md).toMatch(/\| 2026-11-22T08:00:00Z \| alice \| note deleted \|/);
    expect(md).toMatch(/\| alice \| resolved by hand \|/);
  });

  it('writes one self-contained HTML file: sanitized notes, the snapshot as an inline SVG chart, nothing fetched', async () => {
    const id = await storiedIncident();
    const res = await t().api(`/incidents/${id}/export?format=html`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<strong>stuck</strong>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toMatch(/<path d="M[^"]+" fill="none"/);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
  });

  it('answers 400 naming format for an unknown one, 404 for an unknown incident', async () => {
    const id = await storiedIncident();
    const bad = await t().api(`/incidents/${id}/export?format=pdf`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('format');
    expect((await t().api(`/incidents/${id + 1}/export`)).status).toBe(404);
  });
});
