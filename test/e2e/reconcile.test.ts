// Reconciliation against a real Alertmanager: Alertbook was down while alerts fired and resolved.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { AlertmanagerClient } from '../../src/alertmanager/alertmanager-client.js';
import { startReconciliation, type Reconciliation } from '../../src/alertmanager/reconcile-schedule.js';
import { reconcile, type ReconcileReport } from '../../src/domain/reconcile/reconcile.js';
import { intakeInBatches } from '../../src/db/intake-batcher.js';
import { createLogger } from '../../src/logger.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { deliver, getIncident, listIncidents } from '../support/api.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { freeLoopbackPort } from '../support/peer-process.js';
import { startTestServer } from '../support/server.js';

const logger = createLogger({ silent: true });
let app: TestApp;
let alertmanager: RunningAlertmanager;
let alertbookPort: number;
let reconciliation: Reconciliation;
const registry = new Registry();

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase());
  // Alertbook is down: nothing listens where Alertmanager delivers.
  alertbookPort = await freeLoopbackPort();
  alertmanager = await startAlertmanager({
    webhookUrl: `http://127.0.0.1:${alertbookPort}/hooks/alertmanager`,
    webhookToken: WEBHOOK_TOKEN,
  });
});

afterAll(async () => {
  await reconciliation?.stop();
  await alertmanager?.close();
  await app?.close();
});

async function runs(outcome: string): Promise<number> {
  const { values } = await (
    registry.getSingleMetric('alertbook_reconcile_runs_total') as never as {
      get(): Promise<{ values: Array<{ labels: { outcome: string }; value: number }> }>;
    }
  ).get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** Reconciles again until a run reports `expected` (Alertmanager takes in posted alerts asynchronously). */
function reconcileUntil(expected: Partial<ReconcileReport>) {
  return vi.waitFor(
    async () => {
      const report = await reconciliation.runNow();
      expect(report).toMatchObject(expected);
      return report!;
    },
    { timeout: 20_000, interval: 500 },
  );
}

describe('reconciliation with a real Alertmanager', () => {
  it('ingests what fired while Alertbook was down, resolves what ended, never while an Alertmanager is unreachable, and agrees with the notifications that follow', async () => {
    onTestFailed(() => console.error(`--- Alertmanager log ---\n${alertmanager.logs()}`));
    // Alertbook knows its receiver (and its route) from an earlier notification.
    await deliver(app, amNotification([amAlert({ alertname: 'Earlier', status: 'resolved' })]));
    const startsAt = new Date(Date.now() - 60_000);
    const disk = {
      labels: { alertname: 'DiskFull', instance: 'db-1' },
      annotations: { summary: 'Disk full' },
      startsAt,
    };
    const cpu = { labels: { alertname: 'CpuHot', instance: 'app-1' }, startsAt };
    await alertmanager.postAlerts([disk, cpu]);

    const client = new AlertmanagerClient(alertmanager.url);
    reconciliation = startReconciliation({
      ctx: { ...app.database, clock: () => new Date(), bus: app.bus, intake: intakeInBatches(app.database.pipelined) },
      alertmanagers: [client],
      intervalMs: 3_600_000,
      minUptimeMs: 0,
      registry,
      logger,
    });
    const first = await reconcileUntil({ ingested: 2 });
    expect(first).toMatchObject({ receivers: 1, unreachable: [], resolved: 0, unkeyedGroups: 0 });
    const opened = (await listIncidents(app)).filter((i) => i.status === 'firing');
    expect(opened.map((i) => i.alertname).sort()).toEqual(['CpuHot', 'DiskFull']);
    const diskIncident = opened.find((i) => i.alertname === 'DiskFull')!;
    const diskDetail = await getIncident(app, diskIncident.id);
    expect(diskDetail.incident).toMatchObject({ receiver: 'alertbook', groupKey: '{}:{alertname="DiskFull"}' });
    expect(diskDetail.timeline.map((e) => [e.type, e.data.source])).toEqual([
      ['incident.opened', 'reconcile'],
      ['alert.firing', 'reconcile'],
    ]);
    // Nothing new: the next run changes nothing.
    expect(await reconciliation.runNow()).toMatchObject({ ingested: 0, resolved: 0 });

    // CpuHot ends in Alertmanager.
    await alertmanager.postAlerts([{ ...cpu, endsAt: new Date(Date.now() - 1_000) }]);
    const cpuIncident = opened.find((i) => i.alertname === 'CpuHot')!;

    // With a second Alertmanager configured and down, nothing is resolved.
    const down = new AlertmanagerClient(`http://127.0.0.1:${await freeLoopbackPort()}`);
    const partial = await reconcile({
      ctx: { ...app.database, clock: () => new Date(), bus: app.bus, intake: intakeInBatches(app.database.pipelined) },
      alertmanagers: [client, down],
      minUptimeMs: 0,
      logger,
    });
    expect(partial).toMatchObject({ unreachable: [down.name], resolved: 0 });
    expect(partial.resolutionSkipped).toContain(down.name);
    expect((await getIncident(app, cpuIncident.id)).incident.status).toBe('firing');

    // Every Alertmanager answered: CpuHot is resolved, with the evidence.
    const second = await reconcileUntil({ resolved: 1 });
    expect(second).toMatchObject({ ingested: 0, unreachable: [] });
    const cpuDetail = await getIncident(app, cpuIncident.id);
    expect(cpuDetail.incident.status).toBe('resolved');
    const reconciled = cpuDetail.timeline.find((e) => e.type === 'alert.reconciled')!;
    expect(reconciled).toMatchObject({
      actor: 'alertbook',
      data: { count: 1, source: 'reconcile', evidence: { absentFrom: [client.name] } },
    });
    expect(cpuDetail.timeline.at(-1)!.type).toBe('incident.resolved');
    expect((await getIncident(app, diskIncident.id)).incident.status).toBe('firing');
    expect(await runs('complete')).toBeGreaterThanOrEqual(3);

    // Alertbook comes back: Alertmanager's retried notification finds DiskFull already there.
    const server = await startTestServer(app, { port: alertbookPort });
    try {
      await vi.waitFor(
        async () => {
          // The same content as reconciliation stored: a duplicate, not a second alert.
          const { values } = await app.metrics.notifications.get();
          expect(values.find((v) => v.labels.outcome === 'duplicate')?.value).toBeGreaterThan(0);
        },
        { timeout: 20_000, interval: 200 },
      );
      const after = await getIncident(app, diskIncident.id);
      expect(after.alerts).toHaveLength(1);
      expect(after.timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.firing']);
      expect((await listIncidents(app)).filter((i) => i.alertname === 'DiskFull')).toHaveLength(1);
    } finally {
      // Closes the app too.
      await reconciliation.stop();
      await server.close();
      app = undefined as never;
    }
  });
});
