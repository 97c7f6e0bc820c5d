import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { RunbookLibrary } from '../runbooks/runbook-library.js';
import { deliver, listIncidents } from '../../test/support/api.js';
import { useTestApp } from '../../test/support/app.js';
import { amAlert, amNotification } from '../../test/support/payloads.js';
import { incidentCellResolver } from './incident-cells.js';
import { LiveError } from './live-error.js';

const dir = mkdtempSync(join(tmpdir(), 'alertbook-live-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let library: RunbookLibrary;
const app = useTestApp({
  runbooks: { catalogue: { link: (alert) => library.catalogue.link(alert) }, reload: () => library.reload() },
});

writeFileSync(
  join(dir, 'high-error-rate.md'),
  `---
title: API error rate high
alerts: [HighErrorRate]
datasource: thanos
---
# API error rate high

\`\`\`promql id=errors step=1m refresh=30s
sum(rate(http_requests_total{job="{{ $labels.job }}", code=~"5.."}[5m]))
\`\`\`

\`\`\`promql id=by-route
sum by (route) (rate(http_requests_total{route="{{ $labels.route }}"}[5m]))
\`\`\`
`,
);

beforeEach(async () => {
  library = new RunbookLibrary({ dir, db: app().database.db, logger: createLogger({ silent: true }) });
  await library.reload();
});

const STARTS_AT = '2026-11-22T07:29:51.374Z';
const seconds = (iso: string) => Date.parse(iso) / 1000;

async function openIncident(labels: Record<string, string> = { job: 'checkout' }): Promise<number> {
  await deliver(app(), amNotification([amAlert({ alertname: 'HighErrorRate', labels, startsAt: STARTS_AT })]));
  const [incident] = await listIncidents(app());
  return incident!.id;
}

describe('incidentCellResolver', () => {
  it("renders a firing incident's cell with its labels and the incident's start", async () => {
    const resolve = incidentCellResolver({ db: app().database.db });
    const id = await openIncident();
    expect(await resolve(id, 'errors')).toEqual({
      query: 'sum(rate(http_requests_total{job="checkout", code=~"5.."}[5m]))',
      datasource: 'thanos',
      incidentStart: seconds(STARTS_AT),
      end: null,
      step: 60,
      refresh: 30,
    });
  });

  it('fixes the window at the resolution time once the incident is resolved', async () => {
    const resolve = incidentCellResolver({ db: app().database.db });
    const id = await openIncident();
    const endsAt = '2026-11-22T07:45:00Z';
    await deliver(
      app(),
      amNotification([
        amAlert({
          alertname: 'HighErrorRate',
          labels: { job: 'checkout' },
          startsAt: STARTS_AT,
          status: 'resolved',
          endsAt,
        }),
      ]),
    );
    expect(await resolve(id, 'errors')).toMatchObject({ incidentStart: seconds(STARTS_AT), end: seconds(endsAt) });
  });

  it('says why a cell cannot be served', async () => {
    const resolve = incidentCellResolver({ db: app().database.db });
    const id = await openIncident();
    await expect(resolve(id, 'nope')).rejects.toEqual(
      new LiveError('not_found', `the runbook of incident ${id} has no cell "nope"`),
    );
    await expect(resolve(id, 'by-route')).rejects.toMatchObject({
      code: 'cell_unavailable',
      message: 'cell "by-route" cannot be filled in for this incident: the alert has no label "route"',
    });
    await expect(resolve(id + 100, 'errors')).rejects.toMatchObject({
      code: 'not_found',
      message: `incident ${id + 100} not found`,
    });
  });

  it('says when the incident has no runbook', async () => {
    const resolve = incidentCellResolver({ db: app().database.db });
    await deliver(app(), amNotification([amAlert({ alertname: 'SomethingElse' })]));
    const [incident] = await listIncidents(app());
    await expect(resolve(incident!.id, 'errors')).rejects.toEqual(
      new LiveError('not_found', `incident ${incident!.id} has no runbook`),
    );
  });
});
