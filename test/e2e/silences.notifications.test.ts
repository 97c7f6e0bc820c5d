// A silence made through Alertbook stops a real Alertmanager from notifying Alertbook of the
// alert; expiring it lets the notifications resume. Alertmanager repeats every second here.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { AlertmanagerClient } from '../../src/alertmanager/alertmanager-client.js';
import { notifications } from '../../src/db/schema/index.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { listIncidents } from '../support/api.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { freeLoopbackPort } from '../support/peer-process.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Alertmanager's group_interval and repeat_interval: a still-firing alert is re-sent every second. */
const INTERVAL_MS = 1_000;
/** How long "no notification" must hold: more than two group intervals. */
const QUIET_MS = 2.5 * INTERVAL_MS;
// Alertmanager's first delivery (group_wait 1s) and later ones, with room for a loaded machine.
const DELIVERY = { timeout: 20_000, interval: 100 };

let app: TestApp;
let server: TestServer;
let alertmanager: RunningAlertmanager;
let repush: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  const port = await freeLoopbackPort();
  alertmanager = await startAlertmanager({
    webhookUrl: `http://127.0.0.1:${port}/hooks/alertmanager`,
    webhookToken: WEBHOOK_TOKEN,
    timings: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1s' },
  });
  app = await createTestApp(await createTestDatabase(), {
    alertmanagers: [new AlertmanagerClient(alertmanager.url)],
  });
  server = await startTestServer(app, { port });
});

afterAll(async () => {
  clearInterval(repush);
  await server?.close();
  await alertmanager?.close();
});

/** Every webhook delivery Alertbook received (identical re-deliveries are counted on their notification row). */
async function deliveries(): Promise<number> {
  const [row] = await app.database.db
    .select({ total: sql<number>`coalesce(sum(${notifications.deliveries}), 0)::int` })
    .from(notifications);
  return row!.total;
}

/** Fails at once if a delivery arrives within `ms`: the one wait for something not to happen. */
async function expectNoDeliveryFor(ms: number): Promise<void> {
  const before = await deliveries();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await deliveries(), 'a notification arrived while the alert was silenced').toBe(before);
  }
}

async function amAlertState(): Promise<{ state: string; silencedBy: string[] }> {
  const [alert] = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as {
    status: { state: string; silencedBy: string[] };
  }[];
  return alert!.status;
}

describe('a silence made through Alertbook', () => {
  it('stops the notifications of its alert while active, and they resume once it is expired', async () => {
    onTestFailed(() => console.error(`--- Alertmanager log ---\n${alertmanager.logs()}`));
    const labels = { alertname: 'QueueStuck', severity: 'critical', queue: 'orders' };
    const startsAt = new Date(Date.now() - 60_000);
    // As Prometheus does: the alert re-sent while it fires, each time valid for a little longer.
    const push = () => alertmanager.postAlerts([{ labels, startsAt, endsAt: new Date(Date.now() + 60_000) }]);
    await push();
    repush = setInterval(() => void push().catch(() => undefined), INTERVAL_MS);

    // Repeats: several deliveries of the still-firing alert, one a second.
    await vi.waitFor(async () => expect(await deliveries()).toBeGreaterThanOrEqual(3), DELIVERY);
    const [incident] = await listIncidents(app);
    expect(incident).toMatchObject({ alertname: 'QueueStuck', status: 'firing' });

    const created = await app.api(`/incidents/${incident!.id}/silences`, {
      method: 'POST',
      json: { duration: '1h', comment: 'consumer redeploy' },
    });
    expect(created.status).toBe(201);
    const { silenceId } = (await created.json()) as { silenceId: string };
    await vi.waitFor(
      async () => expect(await amAlertState()).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] }),
      DELIVERY,
    );
    // A flush that began before the silence existed may still be on its way: one interval of grace.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    await expectNoDeliveryFor(QUIET_MS);

    const silent = await deliveries();
    expect((await app.api(`/incidents/${incident!.id}/silences/${silenceId}`, { method: 'DELETE' })).status).toBe(200);
    await vi.waitFor(async () => expect(await deliveries()).toBeGreaterThan(silent + 1), DELIVERY);
    expect((await amAlertState()).state).toBe('active');
  });
});
