import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { AppDeps } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import type { TestApp } from './app.js';
import { amAlert, amNotification } from './payloads.js';

/**
 * Builds alert history the way it happens: every notification through the
 * real webhook, every acknowledgement, note, step and manual resolution
 * through the API, each at a fixed simulated time (the app's clock is this
 * generator's). Deterministic: the same calls give the same rows and ids.
 *
 * Use: `const history = historyGenerator(); const app = useTestApp(history.deps);`
 * then `history.attach(app())` in beforeEach.
 */
export interface AlertRef {
  alertname: string;
  instance: string;
  severity?: string;
  /** When it started firing (an occurrence is fingerprint + startsAt). */
  startsAt: string;
}

export function historyGenerator() {
  let now = new Date('2026-01-01T00:00:00Z');
  let app: TestApp | undefined;
  let library: RunbookLibrary | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'alertbook-history-'));

  const deps: Partial<AppDeps> = {
    clock: () => now,
    runbooks: {
      catalogue: { link: (alert) => library?.catalogue.link(alert) ?? null },
      reload: () => library!.reload(),
    },
  };

  const the = () => {
    if (!app) throw new Error('history: attach(app) first');
    return app;
  };

  function alert(ref: AlertRef, status: 'firing' | 'resolved', endsAt?: string) {
    return amAlert({
      alertname: ref.alertname,
      status,
      startsAt: ref.startsAt,
      ...(endsAt ? { endsAt } : {}),
      labels: { severity: ref.severity ?? 'critical', instance: ref.instance, job: 'api' },
    });
  }

  async function post(at: string, body: Record<string, unknown>): Promise<number[]> {
    now = new Date(at);
    const res = await the().hook(body);
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { incidents: number[] }).incidents;
  }

  async function api(at: string, path: string, init: { json?: unknown; as?: string } = {}) {
    now = new Date(at);
    const res = await the().api(path, { method: 'POST', ...init });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Record<string, unknown>;
  }

  return {
    deps,
    /** Binds to the test's app and starts with an empty runbooks folder. */
    async attach(testApp: TestApp) {
      app = testApp;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      library = new RunbookLibrary({ dir, db: testApp.database.db, logger: createLogger({ silent: true }) });
      await library.reload();
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
    /** The webhook body of a firing notification (to deliver again with `redeliver`). */
    firingBody: (ref: AlertRef) => amNotification([alert(ref, 'firing')]),
    /** Alertmanager notifies that `ref` fires; returns the incident ids it touched. */
    fire: (at: string, ref: AlertRef) => post(at, amNotification([alert(ref, 'firing')])),
    /** Alertmanager notifies that `ref` resolved at `endsAt`. */
    resolve: (at: string, ref: AlertRef, endsAt: string) => post(at, amNotification([alert(ref, 'resolved', endsAt)])),
    /** The same body again (a retry, a repeat-interval resend, the HA twin). */
    redeliver: (at: string, body: Record<string, unknown>) => post(at, body),
    ack: (at: string, id: number, as = 'alice') => api(at, `/incidents/${id}/ack`, { as }),
    note: (at: string, id: number, text: string, as = 'alice') =>
      api(at, `/incidents/${id}/notes`, { json: { text }, as }),
    resolveByHand: (at: string, id: number, as = 'bob') => api(at, `/incidents/${id}/resolve`, { as }),
    async tickFirstStep(at: string, id: number, as = 'alice') {
      const res = await the().api(`/incidents/${id}/runbook`);
      const stepId = ((await res.json()) as { runbook: { steps: { id: string }[] } }).runbook.steps[0]!.id;
      return api(at, `/incidents/${id}/steps/${stepId}`, { json: { checked: true }, as });
    },
    /**
     * Writes a runbook file and reloads the folder at `at`. The version's
     * first-seen time is set to `at`: sync stamps it with the database's own clock.
     */
    async writeRunbook(at: string, file: string, content: string) {
      now = new Date(at);
      writeFileSync(join(dir, file), content);
      await library!.reload();
      await the().database.db.execute(
        sql`update runbook_versions set first_seen_at = ${at}::timestamptz where first_seen_at > ${at}::timestamptz`,
      );
    },
  };
}

export type HistoryGenerator = ReturnType<typeof historyGenerator>;

/** A runbook for `alertnames` owned by `owner`, with two steps; `revision` changes its content. */
export function runbookFile(title: string, alertnames: string[], owner: string, revision = 1): string {
  return `---
title: ${title}
alerts: [${alertnames.join(', ')}]
owner: ${owner}
---
# ${title}

## Diagnosis

- [ ] Check the latest deploy
- [ ] Look at upstream dependencies (revision ${revision})
`;
}

/**
 * The small history the report tests work out by hand: ISO week 2026-W43 in
 * Europe/Berlin, the week summer time ends (Mon 19 Oct 00:00 CEST = 18 Oct
 * 22:00Z to Mon 26 Oct 00:00 CET = 25 Oct 23:00Z, 169 hours). Times are UTC.
 *
 *  #1 DiskFull db-0 (warning)   opens Sun 18 Oct 21:30Z (W42 in Berlin), resolves 19 Oct 01:00Z: spans two weeks
 *  #2 HighLatency api-1         08:00Z Mon; acked +240 s; note; step ticked; resolves +1800 s; its firing redelivered
 *  #3 HighLatency api-1 re-fire 12:00Z Mon; never acked; resolves on its own +180 s
 *  #4 HighLatency api-1 re-fire 16:00Z Mon; never acked; resolves on its own +120 s (3 firings in 24 h: flapping)
 *  #5 DiskFull db-1 (warning)   10:00Z Wed; acked +600 s; resolved by hand +3600 s; its alert resolves later
 *  #6 MemoryLeak cache-1        starts 09:00Z Thu, ends 09:15Z: the resolved notification arrives before the firing one
 *  #7 CPUHigh web-1 (warning)   22:30Z Sun 25 Oct (23:30 CET, still W43); never acked; resolves 26 Oct 00:30Z: still open at week end
 *
 * HighLatency has a runbook (owner team-api, changed on Tue 20 Oct); the others have none.
 */
export async function buildDstWeekHistory(h: HistoryGenerator): Promise<void> {
  await h.writeRunbook(
    '2026-10-01T00:00:00Z',
    'high-latency.md',
    runbookFile('High latency', ['HighLatency'], 'team-api', 1),
  );

  const diskW42 = { alertname: 'DiskFull', instance: 'db-0', severity: 'warning', startsAt: '2026-10-18T21:30:00Z' };
  await h.fire('2026-10-18T21:30:00Z', diskW42);
  await h.resolve('2026-10-19T01:00:00Z', diskW42, '2026-10-19T01:00:00Z');

  const latency = (startsAt: string) => ({ alertname: 'HighLatency', instance: 'api-1', startsAt });
  const first = latency('2026-10-19T08:00:00Z');
  const [i2] = await h.fire('2026-10-19T08:00:00Z', first);
  await h.redeliver('2026-10-19T08:01:00Z', h.firingBody(first));
  await h.ack('2026-10-19T08:04:00Z', i2!);
  await h.note('2026-10-19T08:05:00Z', i2!, 'p99 up after the deploy');
  await h.tickFirstStep('2026-10-19T08:06:00Z', i2!);
  await h.resolve('2026-10-19T08:30:00Z', first, '2026-10-19T08:30:00Z');

  await h.writeRunbook(
    '2026-10-20T09:00:00Z',
    'high-latency.md',
    runbookFile('High latency', ['HighLatency'], 'team-api', 2),
  );

  const second = latency('2026-10-19T12:00:00Z');
  await h.fire('2026-10-19T12:00:00Z', second);
  await h.resolve('2026-10-19T12:03:00Z', second, '2026-10-19T12:03:00Z');
  const third = latency('2026-10-19T16:00:00Z');
  await h.fire('2026-10-19T16:00:00Z', third);
  await h.resolve('2026-10-19T16:02:00Z', third, '2026-10-19T16:02:00Z');

  const disk = { alertname: 'DiskFull', instance: 'db-1', severity: 'warning', startsAt: '2026-10-21T10:00:00Z' };
  const [i5] = await h.fire('2026-10-21T10:00:00Z', disk);
  await h.ack('2026-10-21T10:10:00Z', i5!, 'bob');
  await h.resolveByHand('2026-10-21T11:00:00Z', i5!);
  await h.resolve('2026-10-21T11:30:00Z', disk, '2026-10-21T11:30:00Z');

  const memory = { alertname: 'MemoryLeak', instance: 'cache-1', startsAt: '2026-10-22T09:00:00Z' };
  await h.resolve('2026-10-22T09:20:00Z', memory, '2026-10-22T09:15:00Z');
  await h.fire('2026-10-22T09:21:00Z', memory);

  const cpu = { alertname: 'CPUHigh', instance: 'web-1', severity: 'warning', startsAt: '2026-10-25T22:30:00Z' };
  await h.fire('2026-10-25T22:30:00Z', cpu);
  await h.resolve('2026-10-26T00:30:00Z', cpu, '2026-10-26T00:30:00Z');
}
