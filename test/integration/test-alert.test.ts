import { describe, expect, it } from 'vitest';
import { getIncident, listIncidents } from '../support/api.js';
import { useTestApp } from '../support/app.js';

let now = new Date('2026-11-22T08:00:00Z');
const t = useTestApp({ clock: () => now });

describe('POST /test-alert', () => {
  it('opens an incident through the webhook path, named after who sent it', async () => {
    const res = await t().api('/test-alert', { method: 'POST', as: 'bob' });
    expect(res.status).toBe(201);
    const answer = (await res.json()) as { status: string; incidents: number[] };
    expect(answer.status).toBe('ok');
    const [incident] = await listIncidents(t());
    expect(answer.incidents).toEqual([incident!.id]);
    expect(incident).toMatchObject({ alertname: 'AlertbookTestAlert', severity: 'info', status: 'firing' });
    const { alerts } = await getIncident(t(), incident!.id);
    expect(alerts[0]!.labels).toMatchObject({ sent_by: 'bob' });
    // Counted as every notification is: it took the webhook's own path.
    const metrics = await (await t().app.request('/metrics')).text();
    expect(metrics).toMatch(/alertbook_notifications_total\{outcome="accepted"\} 1\b/);
  });

  it('adds a second click to the open test incident as an alert of its own', async () => {
    await t().api('/test-alert', { method: 'POST' });
    now = new Date(now.getTime() + 5_000);
    await t().api('/test-alert', { method: 'POST' });
    const incidents = await listIncidents(t());
    expect(incidents).toHaveLength(1);
    expect((await getIncident(t(), incidents[0]!.id)).alerts).toHaveLength(2);
  });
});
