// Silences of an incident's alerts, created, listed and expired in a real Alertmanager through the API.
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { AlertmanagerClient } from '../../src/alertmanager/alertmanager-client.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { deliver, getIncident } from '../support/api.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { freeLoopbackPort } from '../support/peer-process.js';

let app: TestApp;
let alertmanager: RunningAlertmanager;

beforeAll(async () => {
  alertmanager = await startAlertmanager({
    webhookUrl: `http://127.0.0.1:${await freeLoopbackPort()}/hooks/alertmanager`,
    webhookToken: WEBHOOK_TOKEN,
  });
  // The first configured Alertmanager is down: silences go to the next one.
  const down = new AlertmanagerClient(`http://127.0.0.1:${await freeLoopbackPort()}`);
  app = await createTestApp(await createTestDatabase(), {
    alertmanagers: [down, new AlertmanagerClient(alertmanager.url)],
  });
});

afterAll(async () => {
  await app?.close();
  await alertmanager?.close();
});

let refusals = 0;
const labels = { alertname: 'DiskFull', severity: 'critical', job: 'node', instance: 'db-1' };

async function amAlerts(): Promise<
  Array<{ labels: Record<string, string>; status: { state: string; silencedBy: string[] } }>
> {
  return (await fetch(`${alertmanager.url}/api/v2/alerts`)).json() as never;
}

describe('silences from an incident', () => {
  it('creates one in Alertmanager as the Alertbook actor, lists it, expires it, and says so on the timeline', async () => {
    onTestFailed(() => console.error(`--- Alertmanager log ---\n${alertmanager.logs()}`));
    const summary = await deliver(app, amNotification([amAlert({ labels })]));
    const id = (summary.incidents as number[])[0]!;
    await alertmanager.postAlerts([
      { labels: { ...labels, severity: 'critical' }, startsAt: new Date(Date.now() - 60_000) },
    ]);

    const created = await app.api(`/incidents/${id}/silences`, {
      method: 'POST',
      json: { duration: '2h', comment: 'disk being replaced' },
    });
    expect(created.status).toBe(201);
    const silence = (await created.json()) as { silenceId: string; matchers: unknown[]; until: string };
    expect(silence.matchers).toEqual(
      expect.arrayContaining([
        { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
        { name: 'instance', value: 'db-1', isRegex: false, isEqual: true },
      ]),
    );
    const inAlertmanager = (await (await fetch(`${alertmanager.url}/api/v2/silence/${silence.silenceId}`)).json()) as {
      createdBy: string;
      comment: string;
      status: { state: string };
    };
    expect(inAlertmanager).toMatchObject({
      createdBy: 'alice',
      comment: 'disk being replaced',
      status: { state: 'active' },
    });
    // Silenced: Alertmanager notifies nobody of it.
    await vi.waitFor(async () => {
      const [alert] = await amAlerts();
      expect(alert!.status).toMatchObject({ state: 'suppressed', silencedBy: [silence.silenceId] });
    });

    const listed = (await (await app.api(`/incidents/${id}/silences`)).json()) as {
      silences: Array<{ id: string; state: string }>;
    };
    expect(listed.silences).toEqual([
      expect.objectContaining({ id: silence.silenceId, state: 'active', createdBy: 'alice' }),
    ]);

    const expired = await app.api(`/incidents/${id}/silences/${silence.silenceId}`, { method: 'DELETE', as: 'bob' });
    expect(expired.status).toBe(200);
    expect(((await (await app.api(`/incidents/${id}/silences`)).json()) as { silences: unknown[] }).silences).toEqual(
      [],
    );
    await vi.waitFor(async () => expect((await amAlerts())[0]!.status.state).toBe('active'));

    const { timeline } = await getIncident(app, id);
    expect(timeline.filter((e) => e.type.includes('silenced')).map((e) => [e.type, e.actor, e.data.silenceId])).toEqual(
      [
        ['alert.silenced', 'alice', silence.silenceId],
        ['alert.unsilenced', 'bob', silence.silenceId],
      ],
    );
    expect(timeline.find((e) => e.type === 'alert.silenced')!.data).toMatchObject({
      alertmanager: alertmanager.url,
      until: silence.until,
      comment: 'disk being replaced',
    });
  });

  it.each([
    [{ matchers: [{ name: 'bad-name', value: 'x' }] }, 'matchers[0].name'],
    [{ matchers: [{ name: 'job', value: '(', isRegex: true }] }, 'matchers[0].value'],
    [{ matchers: [{ name: 'job', value: '.*', isRegex: true }] }, 'matchers'],
    [{ matchers: [] }, 'matchers'],
    [{ duration: 'forever' }, 'duration'],
    [{ comment: ' ' }, 'comment'],
  ])('refuses %j naming %s, creating nothing', async (change, field) => {
    const alertname = `Refused${++refusals}`;
    const summary = await deliver(app, amNotification([amAlert({ labels: { ...labels, alertname } })]));
    const id = (summary.incidents as number[])[0]!;
    const before = ((await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as unknown[]).length;
    const res = await app.api(`/incidents/${id}/silences`, {
      method: 'POST',
      json: { duration: '1h', comment: 'why', ...change },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    expect(((await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as unknown[]).length).toBe(before);
  });
});
