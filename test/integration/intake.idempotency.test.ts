import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { deliver, getIncident, listIncidents } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const app = useTestApp();

async function tableCounts() {
  const result = await app().database.db.execute(sql`
    select (select count(*)::int from incidents) as incidents,
           (select count(*)::int from alerts) as alerts,
           (select count(*)::int from timeline_events) as events,
           (select count(*)::int from notifications) as notifications`);
  return rowsOf<Record<string, number>>(result)[0]!;
}

describe('idempotent intake', () => {
  it('a retried or resent notification changes nothing and adds no events', async () => {
    const body = amNotification([amAlert({ labels: { instance: 'a' } }), amAlert({ labels: { instance: 'b' } })]);
    const first = await deliver(app(), body);
    expect(first).toMatchObject({ fresh: true, changed: 2, duplicates: 0 });
    const before = await tableCounts();

    const again = await deliver(app(), body);
    expect(again).toMatchObject({ fresh: false, changed: 0, duplicates: 2 });
    expect(await tableCounts()).toEqual(before);

    const { incident } = await getIncident(app(), 1);
    expect(incident.alertCount).toBe(2);
    const [row] = rowsOf<{ deliveries: number }>(
      await app().database.db.execute(sql`select deliveries from notifications`),
    );
    expect(row!.deliveries).toBe(2);
  });

  it('an HA twin with re-rendered annotations and another receiver text still lands once per occurrence', async () => {
    // Both Alertmanagers of a pair send the same group; annotations are
    // re-templated on every evaluation, so the bodies differ in text.
    const alert = amAlert({ annotations: { description: 'value 15.51' } });
    await deliver(app(), amNotification([alert]));
    await deliver(app(), amNotification([{ ...alert, annotations: { description: 'value 15.93' } }]));
    const incidents = await listIncidents(app());
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.alertCount).toBe(1);
    const { timeline } = await getIncident(app(), incidents[0]!.id);
    expect(timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.firing']);
  });

  it('identical requests racing at the same instant leave one incident, one record per occurrence', async () => {
    const body = amNotification([amAlert({ labels: { instance: 'a' } }), amAlert({ labels: { instance: 'b' } })]);
    const responses = await Promise.all(Array.from({ length: 12 }, () => app().hook(body)));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const summaries = (await Promise.all(responses.map((r) => r.json()))) as { fresh: boolean }[];
    expect(summaries.filter((s) => s.fresh)).toHaveLength(1);
    expect(await tableCounts()).toMatchObject({ incidents: 1, alerts: 2, events: 2, notifications: 1 });
  });

  it('different notifications of one group racing open exactly one incident', async () => {
    const bodies = Array.from({ length: 10 }, (_, i) => amNotification([amAlert({ labels: { instance: `i${i}` } })]));
    const responses = await Promise.all(bodies.map((b) => app().hook(b)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const incidents = await listIncidents(app());
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ alertCount: 10, firingCount: 10 });
    expect(await tableCounts()).toMatchObject({ events: 11 });
  });

  it('a payload naming one occurrence twice keeps the resolution', async () => {
    const alert = amAlert();
    await deliver(app(), amNotification([alert, { ...alert, status: 'resolved' }]));
    const [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ status: 'resolved', alertCount: 1 });
  });

  it('stores a 10,000-alert storm in one notification', async () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) => amAlert({ labels: { instance: `host-${i}` } }));
    const body = amNotification(alerts);
    expect(JSON.stringify(body).length).toBeLessThan(16 * 1024 * 1024);
    const summary = await deliver(app(), body);
    expect(summary).toMatchObject({ changed: 10_000 });
    // One alert.firing event for the whole storm, listing the first alerts.
    expect(await tableCounts()).toMatchObject({ incidents: 1, alerts: 10_000, events: 2 });
    const { timeline } = await getIncident(app(), 1);
    expect(timeline[1]).toMatchObject({ type: 'alert.firing', data: { count: 10_000 } });
    expect(timeline[1]!.data.alerts).toHaveLength(50);
  });
});
