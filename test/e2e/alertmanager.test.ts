import { describe, expect, it, onTestFailed, onTestFinished, vi } from 'vitest';
import { notifications } from '../../src/db/schema/index.js';
import { startAlertmanager, type AlertToPost, type RunningAlertmanager } from '../support/alertmanager.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withUnreachableDatabase } from '../support/flaky-database.js';
import { startTestServer, type FetchHandler } from '../support/server.js';

// Alertmanager delivers within a second or two (group_wait 1s, group_interval 2s);
// the bound leaves room for its retry backoff on a loaded machine.
const DELIVERY_TIMEOUT = { timeout: 20_000, interval: 200 };

interface IncidentSummary {
  id: number;
  status: string;
  title: string;
  alertname: string | null;
  severity: string | null;
  alertCount: number;
  firingCount: number;
}

interface IncidentDetail {
  incident: IncidentSummary & { receiver: string; groupKey: string | null };
  alerts: Array<{ fingerprint: string; status: string; startsAt: string; endsAt: string | null }>;
  timeline: Array<{ type: string }>;
}

/** An app served over HTTP with a real Alertmanager delivering to it; both stop when the test ends. */
async function startStack(database: TestDatabase, around?: (fetch: FetchHandler) => FetchHandler) {
  const app = await createTestApp(database);
  const server = await startTestServer(app, { around });
  onTestFinished(() => server.close());
  const alertmanager = await startAlertmanager({
    webhookUrl: `${server.url}/hooks/alertmanager`,
    webhookToken: WEBHOOK_TOKEN,
  });
  onTestFinished(() => alertmanager.close());
  onTestFailed(() => console.error(`--- Alertmanager log ---\n${alertmanager.logs()}`));
  return { app, alertmanager };
}

async function listIncidents(app: TestApp): Promise<IncidentSummary[]> {
  const res = await app.api('/incidents');
  expect(res.status).toBe(200);
  return ((await res.json()) as { incidents: IncidentSummary[] }).incidents;
}

async function getIncident(app: TestApp, id: number): Promise<IncidentDetail> {
  const res = await app.api(`/incidents/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as IncidentDetail;
}

/** Waits for Alertmanager's first delivery to open exactly one incident. */
async function theOnlyIncident(app: TestApp): Promise<IncidentSummary> {
  return vi.waitFor(async () => {
    const list = await listIncidents(app);
    expect(list).toHaveLength(1);
    return list[0]!;
  }, DELIVERY_TIMEOUT);
}

/** Records the status of every webhook answer the server sends. */
function recordWebhookStatuses(statuses: number[], fetch: FetchHandler): FetchHandler {
  return async (request, env) => {
    const res = await fetch(request, env);
    if (new URL(request.url).pathname === '/hooks/alertmanager') statuses.push(res.status);
    return res;
  };
}

/** The outcomes that happened (every outcome is exported from the start, at zero). */
async function notificationOutcomes(app: TestApp): Promise<Record<string, number>> {
  const { values } = await app.metrics.notifications.get();
  return Object.fromEntries(values.filter((v) => v.value > 0).map((v) => [String(v.labels.outcome), v.value]));
}

/** Posts a firing alert that started a minute ago, so that "ended a second ago" is a valid interval. */
async function fire(alertmanager: RunningAlertmanager): Promise<AlertToPost> {
  const alert: AlertToPost = {
    labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-1:9100' },
    annotations: { summary: 'Disk almost full on db-1' },
    startsAt: new Date(Date.now() - 60_000),
  };
  await alertmanager.postAlerts([alert]);
  return alert;
}

/**
 * Fires one alert and waits until Alertmanager gets a 200 for it, however many
 * attempts that takes; `statuses` lists the answer to every attempt.
 */
async function fireUntilDelivered(
  database: TestDatabase,
  around: (fetch: FetchHandler) => FetchHandler = (fetch) => fetch,
) {
  const statuses: number[] = [];
  const { app, alertmanager } = await startStack(database, (fetch) => recordWebhookStatuses(statuses, around(fetch)));
  await fire(alertmanager);
  await vi.waitFor(() => expect(statuses).toContain(200), DELIVERY_TIMEOUT);
  return { app, statuses };
}

/** One firing incident holding the one alert, its timeline written once, whatever the retries. */
async function expectRecordedOnce(app: TestApp, expected: { outcomes: Record<string, number>; deliveries: number }) {
  const incident = await theOnlyIncident(app);
  expect(incident).toMatchObject({ status: 'firing', alertCount: 1, firingCount: 1 });
  const detail = await getIncident(app, incident.id);
  expect(detail.timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.firing']);
  expect(await notificationOutcomes(app)).toEqual(expected.outcomes);
  const deliveries = await app.database.db.select({ deliveries: notifications.deliveries }).from(notifications);
  expect(deliveries).toEqual([{ deliveries: expected.deliveries }]);
}

describe('Alertmanager 0.25 delivering to Alertbook', () => {
  it('opens an incident when an alert fires and resolves it when the alert ends', async () => {
    const { app, alertmanager } = await startStack(await createTestDatabase());

    const alert = await fire(alertmanager);
    const opened = await theOnlyIncident(app);
    expect(opened).toMatchObject({
      status: 'firing',
      title: 'Disk almost full on db-1',
      alertname: 'DiskFull',
      severity: 'critical',
      alertCount: 1,
      firingCount: 1,
    });

    const endsAt = new Date(Date.now() - 1_000);
    await alertmanager.postAlerts([{ ...alert, endsAt }]);
    const resolved = await vi.waitFor(async () => {
      const detail = await getIncident(app, opened.id);
      expect(detail.incident.status).toBe('resolved');
      return detail;
    }, DELIVERY_TIMEOUT);

    expect(resolved.incident).toMatchObject({ receiver: 'alertbook', groupKey: '{}:{alertname="DiskFull"}' });
    expect(resolved.alerts).toHaveLength(1);
    expect(resolved.alerts[0]).toMatchObject({
      status: 'resolved',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      startsAt: alert.startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    });
    expect(resolved.timeline.map((e) => e.type)).toEqual([
      'incident.opened',
      'alert.firing',
      'alert.resolved',
      'incident.resolved',
    ]);
    expect(await listIncidents(app)).toHaveLength(1);
  });

  describe('when Alertbook answers 503, Alertmanager retries and nothing is recorded twice', () => {
    it('while the database is unreachable', async () => {
      const { app, statuses } = await fireUntilDelivered(withUnreachableDatabase(await createTestDatabase(), 2));

      expect(statuses).toEqual([503, 503, 200]);
      // The failed attempts rolled back: only the delivery that got through is logged.
      await expectRecordedOnce(app, { outcomes: { unavailable: 2, accepted: 1 }, deliveries: 1 });
    });

    it('after committing, when the answer is lost on the way back', async () => {
      let answersToLose = 1;
      const loseFirstAnswer =
        (fetch: FetchHandler): FetchHandler =>
        async (request, env) => {
          const res = await fetch(request, env);
          if (res.ok && answersToLose > 0) {
            answersToLose -= 1;
            return new Response('upstream connection reset', { status: 503 });
          }
          return res;
        };
      const { app, statuses } = await fireUntilDelivered(await createTestDatabase(), loseFirstAnswer);

      expect(statuses).toEqual([503, 200]);
      await expectRecordedOnce(app, { outcomes: { accepted: 1, duplicate: 1 }, deliveries: 2 });
    });
  });
});
