import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { deliver, getIncident, type IncidentRow } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { metricSample } from '../support/metrics.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { API_BODY_LIMIT } from '../../src/http/params.js';

const app = useTestApp();

/** Opens one incident per alertname, started an hour apart (oldest first). */
async function seed(names: string[]) {
  for (const [i, alertname] of names.entries()) {
    const startsAt = new Date(Date.UTC(2026, 10, 22, i)).toISOString();
    await deliver(
      app(),
      amNotification([amAlert({ alertname, startsAt, labels: { service: `svc-${alertname.toLowerCase()}` } })]),
    );
  }
}

async function list(query: string) {
  const res = await app().api(`/incidents${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { incidents: IncidentRow[]; nextCursor: string | null };
}

describe('GET /api/v1/incidents', () => {
  it('lists newest first with the documented fields', async () => {
    await seed(['First', 'Second']);
    const { incidents, nextCursor } = await list('');
    expect(incidents.map((i) => i.alertname)).toEqual(['Second', 'First']);
    expect(Object.keys(incidents[0]!)).toEqual(
      expect.arrayContaining([
        'id',
        'status',
        'title',
        'severity',
        'alertname',
        'groupLabels',
        'startedAt',
        'resolvedAt',
        'acknowledgedAt',
        'acknowledgedBy',
        'alertCount',
        'firingCount',
      ]),
    );
    expect(nextCursor).toBeNull();
  });

  it('400s a query parameter it does not know, or one given twice, naming it (never an ignored filter)', async () => {
    await seed(['A']);
    const cases: [string, string][] = [
      ['/incidents?since=2026-12-01T00:00:00Z', 'since'],
      ['/incidents?status=firing&Status=resolved', 'Status'],
      ['/incidents?status=firing&status=resolved', 'status'],
      ['/incidents/1?fields=title', 'fields'],
      ['/incidents/1/runbook?version=abc', 'version'],
      ['/runbooks?q=disk', 'q'],
      ['/runbooks/disk-full/diff?from=abc&since=1', 'since'],
    ];
    for (const [path, field] of cases) {
      const res = await app().api(path);
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({
        error: { code: 'invalid_input', field, message: expect.stringContaining(field) },
      });
    }
  });

  it('pages with an opaque cursor, without gaps or repeats', async () => {
    await seed(['A', 'B', 'C', 'D', 'E']);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const body = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.incidents.map((i) => i.alertname!));
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    expect(seen).toEqual(['E', 'D', 'C', 'B', 'A']);
  });

  it('filters by status, acknowledgement, alertname and free text over labels', async () => {
    await seed(['Cpu', 'Disk', 'Memory']);
    await deliver(
      app(),
      amNotification([
        amAlert({
          alertname: 'Disk',
          status: 'resolved',
          startsAt: new Date(Date.UTC(2026, 10, 22, 1)).toISOString(),
          labels: { service: 'svc-disk' },
        }),
      ]),
    );
    await app().api('/incidents/3/ack', { method: 'POST' });

    expect((await list('?status=resolved')).incidents.map((i) => i.alertname)).toEqual(['Disk']);
    expect((await list('?status=firing')).incidents.map((i) => i.alertname)).toEqual(['Memory', 'Cpu']);
    expect((await list('?acknowledged=true')).incidents.map((i) => i.alertname)).toEqual(['Memory']);
    expect((await list('?acknowledged=false&status=firing')).incidents.map((i) => i.alertname)).toEqual(['Cpu']);
    expect((await list('?alertname=Cpu')).incidents).toHaveLength(1);
    expect((await list('?q=svc-mem')).incidents.map((i) => i.alertname)).toEqual(['Memory']);
    // LIKE wildcards in q are literal.
    expect((await list('?q=%25')).incidents).toHaveLength(0);
  });

  it('filters by opening time, resolution, runbook, person events, local hour and weekday (the report recounts)', async () => {
    // Cpu 00:00Z, Disk 01:00Z, Memory 02:00Z on Sunday 22 November 2026.
    await seed(['Cpu', 'Disk', 'Memory']);
    // Disk resolves on its own 4 minutes after it started; Memory is resolved by hand; Cpu gets a note.
    await deliver(
      app(),
      amNotification([
        amAlert({
          alertname: 'Disk',
          status: 'resolved',
          startsAt: '2026-11-22T01:00:00.000Z',
          endsAt: '2026-11-22T01:04:00Z',
          labels: { service: 'svc-disk' },
        }),
      ]),
    );
    await app().api('/incidents/3/resolve', { method: 'POST' });
    await app().api('/incidents/1/notes', { method: 'POST', json: { text: 'looking' } });
    const names = async (query: string) => (await list(query)).incidents.map((i) => i.alertname);

    expect(await names('?from=2026-11-22T01:00:00Z&to=2026-11-22T02:00:00Z')).toEqual(['Disk']);
    expect(await names('?from=2026-11-22T01:00:00Z')).toEqual(['Memory', 'Disk']);
    expect(await names('?resolution=automatic')).toEqual(['Disk']);
    expect(await names('?resolution=manual')).toEqual(['Memory']);
    expect(await names('?resolved_within=300')).toEqual(['Disk']);
    expect(await names('?resolved_within=200')).toEqual([]);
    expect(await names('?resolved_before=2026-11-23T00:00:00Z')).toEqual(['Disk']);
    expect(await names('?unresolved_at=2026-11-23T00:00:00Z')).toEqual(['Memory', 'Cpu']);
    expect(await names('?event=note.added')).toEqual(['Cpu']);
    expect(await names('?event=note.added,incident.acknowledged')).toEqual(['Cpu']);
    expect(await names('?severity=critical')).toHaveLength(3);
    expect(await names('?severity=(none)')).toEqual([]);
    expect(await names('?has_runbook=false')).toHaveLength(3);
    expect(await names('?owner=(none)')).toHaveLength(3);
    expect(await names('?receiver=alertbook')).toHaveLength(3);
    // 02:00Z is 03:00 in Berlin; the 22nd is a Sunday (ISO weekday 7).
    expect(await names('?hour=3&tz=Europe/Berlin')).toEqual(['Memory']);
    expect(await names('?hour=3')).toEqual([]);
    expect(await names('?weekday=7')).toHaveLength(3);
    expect(await names('?weekday=1')).toEqual([]);
  });

  it.each([
    ['?status=pending', 'status'],
    ['?from=yesterday', 'from'],
    ['?from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z', 'from'],
    ['?to=2026-11-22', 'to'],
    ['?resolution=maybe', 'resolution'],
    ['?event=alert.firing', 'event'],
    ['?tz=Mars/Base&hour=1', 'tz'],
    ['?hour=24', 'hour'],
    ['?resolved_within=-1', 'resolved_within'],
    ['?acknowledged=yes', 'acknowledged'],
    ['?limit=0', 'limit'],
    ['?limit=abc', 'limit'],
    ['?cursor=bm9wZQ', 'cursor'],
  ])('rejects %s naming %s', async (query, field) => {
    const res = await app().api(`/incidents${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });
});

describe('GET /api/v1/incidents/:id', () => {
  it('returns the incident, its alerts and timeline', async () => {
    await seed(['Cpu']);
    const detail = await getIncident(app(), 1);
    expect(detail.incident).toMatchObject({ id: 1, alertname: 'Cpu', status: 'firing' });
    expect(detail.alerts).toHaveLength(1);
    expect(Object.keys(detail.alerts[0]!)).toEqual(
      expect.arrayContaining(['fingerprint', 'status', 'labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL']),
    );
    expect(detail.timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.firing']);
  });

  it('lists the timeline by time, then id: an alert that started before a note is shown above it, whenever it arrived', async () => {
    await deliver(app(), amNotification([amAlert({ startsAt: '2026-11-22T07:00:00Z', labels: { instance: 'a' } })]));
    expect((await app().api('/incidents/1/notes', { method: 'POST', json: { text: 'looking' } })).status).toBe(201);
    await deliver(app(), amNotification([amAlert({ startsAt: '2026-11-22T08:00:00Z', labels: { instance: 'b' } })]));
    const { timeline } = await getIncident(app(), 1);
    expect(timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.firing', 'alert.firing', 'note.added']);
    expect(timeline.map((e) => e.at)).toEqual(timeline.map((e) => e.at).sort());
  });

  it('404s an unknown incident and 400s a malformed id, in the one envelope', async () => {
    const missing = await app().api('/incidents/999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found', requestId: expect.any(String) } });
    const bad = await app().api('/incidents/abc');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_input', field: 'id' } });
  });
});

describe('state changes', () => {
  it('ack is race-safe: of concurrent acks one wins, the rest get 409, one event', async () => {
    await seed(['Cpu']);
    const responses = await Promise.all(
      ['alice', 'bob', 'alice', 'bob'].map((as) => app().api('/incidents/1/ack', { method: 'POST', as })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const { incident, timeline } = await getIncident(app(), 1);
    const acks = timeline.filter((e) => e.type === 'incident.acknowledged');
    expect(acks).toHaveLength(1);
    expect(incident.acknowledgedBy).toBe(acks[0]!.actor);
    expect(['alice', 'bob']).toContain(acks[0]!.actor);
  });

  it('manual resolve records who, and a second resolve is a 409', async () => {
    await seed(['Cpu']);
    const first = await app().api('/incidents/1/resolve', { method: 'POST', as: 'bob' });
    expect(first.status).toBe(200);
    expect((await app().api('/incidents/1/resolve', { method: 'POST' })).status).toBe(409);
    const { incident, timeline } = await getIncident(app(), 1);
    expect(incident).toMatchObject({ status: 'resolved', resolvedBy: 'bob' });
    expect(timeline.at(-1)).toMatchObject({ type: 'incident.resolved', actor: 'bob', data: { manual: true } });
  });

  it('a new alert of a manually resolved group opens a new incident', async () => {
    await seed(['Cpu']);
    await app().api('/incidents/1/resolve', { method: 'POST' });
    await deliver(app(), amNotification([amAlert({ alertname: 'Cpu', labels: { service: 'svc-other' } })]));
    const { incidents } = await list('');
    expect(incidents.map((i) => [i.id, i.status])).toEqual([
      [2, 'firing'],
      [1, 'resolved'],
    ]);
  });

  it('notes are recorded with their author; an empty note is a 400 naming text', async () => {
    await seed(['Cpu']);
    const res = await app().api('/incidents/1/notes', {
      method: 'POST',
      json: { text: 'Rolled back **v2.3**' },
      as: 'bob',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      type: 'note.added',
      actor: 'bob',
      data: { text: 'Rolled back **v2.3**' },
    });
    const { timeline } = await getIncident(app(), 1);
    expect(timeline.at(-1)!.data.html).toContain('<strong>v2.3</strong>');
    await app().api('/incidents/1/notes', {
      method: 'POST',
      json: { text: '<img src=x onerror=alert(1)> [x](javascript:alert(1))' },
    });
    const { timeline: after } = await getIncident(app(), 1);
    expect(after.at(-1)!.data.html).not.toMatch(/onerror|javascript:/);
    const empty = await app().api('/incidents/1/notes', { method: 'POST', json: { text: '  ' } });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { field: 'text' } });
    const notJson = await app().api('/incidents/1/notes', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect((await app().api('/incidents/42/notes', { method: 'POST', json: { text: 'x' } })).status).toBe(404);
  });

  it('a body over the API limit is a 413 and records nothing', async () => {
    await seed(['Cpu']);
    const before = (await getIncident(app(), 1)).timeline.length;
    const res = await app().api('/incidents/1/notes', { method: 'POST', json: { text: 'x'.repeat(API_BODY_LIMIT) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await getIncident(app(), 1)).timeline).toHaveLength(before);
  });

  it('publishes committed changes to live viewers', async () => {
    await seed(['Cpu']);
    const seen: string[][] = [];
    const stop = app().bus.subscribe((change) => seen.push(change.types));
    await app().api('/incidents/1/ack', { method: 'POST' });
    await app().api('/incidents/1/notes', { method: 'POST', json: { text: 'hi' } });
    stop();
    expect(seen).toEqual([['incident.acknowledged'], ['note.added']]);
  });
});

describe('API auth', () => {
  it('requires one of the configured tokens', async () => {
    expect((await app().api('/incidents', { as: 'not-a-token' })).status).toBe(401);
    const res = await app().app.request('/api/v1/incidents');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('does not accept the webhook token on the API', async () => {
    expect((await app().api('/incidents', { as: 'test-webhook-token' })).status).toBe(401);
  });
});

describe('health, readiness and metrics', () => {
  it('healthz, readyz and /metrics answer', async () => {
    expect((await app().app.request('/healthz')).status).toBe(200);
    const ready = await app().app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: true, migrations: true } });

    // The counters are the app's, shared by every test of this file: compare before and after.
    const scrape = async () => (await app().app.request('/metrics')).text();
    const before = await scrape();
    await seed(['Cpu']);
    const metrics = await scrape();
    const accepted = 'alertbook_notifications_total{outcome="accepted"}';
    expect(metricSample(metrics, accepted) - metricSample(before, accepted)).toBe(1);
    expect(
      metricSample(metrics, 'alertbook_alerts_ingested_total') -
        metricSample(before, 'alertbook_alerts_ingested_total'),
    ).toBe(1);
    expect(metricSample(metrics, 'alertbook_open_incidents')).toBe(1);
    expect(metrics).toContain('alertbook_ingest_duration_seconds_bucket');
    // Sent alone: one transaction of one notification.
    const alone = 'alertbook_intake_batch_notifications_bucket{le="1"}';
    expect(metricSample(metrics, alone) - metricSample(before, alone)).toBe(1);
    expect(metrics).toContain('alertbook_intake_batches_retried_total 0');
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('readyz is 503 while the database is unreachable', async () => {
    const down = { ...app().database, ping: () => Promise.reject(new Error('connection refused')) };
    const { app: broken } = createApp({
      config: { webhookToken: undefined, apiTokens: [], bodyLimit: 1024 },
      database: down,
      logger: createLogger({ silent: true }),
    });
    const res = await broken.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { database: false, migrations: false } });
  });

  it('unknown routes get the error envelope', async () => {
    const res = await app().app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
