import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { locateDeno } from '../../src/script-cells/deno-binary.js';
import { deliver, getIncident } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { metricSample } from '../support/metrics.js';
import { amAlert, amNotification } from '../support/payloads.js';

const dir = mkdtempSync(join(tmpdir(), 'alertbook-script-runbooks-'));
const dataDir = mkdtempSync(join(tmpdir(), 'alertbook-script-data-'));
let prometheus: FakePrometheus;
let library: RunbookLibrary;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  await prometheus.close();
});

const app = useTestApp({
  outbox: { snapshotOnResolve: false },
  runbooks: {
    catalogue: { link: (alert) => library.catalogue.link(alert) },
    reload: () => library.reload(),
  },
  datasources: { get: (name) => new Datasources([{ name: 'default', url: prometheus.url }]).get(name) },
  scripts: {
    deno: locateDeno(),
    denoDir: join(dataDir, 'deno'),
    runbooksDir: dir,
    serviceEnv: { REGION: 'eu-west-1' },
    ceiling: { net: [], env: ['REGION'] },
    concurrency: 1,
    queueLength: 1,
  },
});

const SECTIONS = '## Meaning\n## Impact\n## Diagnosis\n## Mitigation\n';
const RUNBOOKS: Record<string, string> = {
  'errors.md': `---
title: Error rate
alerts: [HighErrorRate]
permissions:
  env: [REGION]
---
${SECTIONS}
\`\`\`promql id=ratio
up
\`\`\`

\`\`\`ts id=top title="Top jobs"
const up = await query('up{job="' + alert.labels.job + '"}');
show.table(up.series.map((s) => ({ job: s.metric.job, value: s.values[0][1] })));
console.log(Deno.env.get('REGION'), incident.id, incident.status);
\`\`\`

\`\`\`ts id=slow
await new Promise((resolve) => setTimeout(resolve, 1500));
\`\`\`

\`\`\`ts id=denied
await fetch('http://example.com:8080/');
\`\`\`

\`\`\`ts id=notes
show.markdown('**five** routes <img src=x onerror=alert(1)>');
\`\`\`
`,
  'refused.md': `---
title: Refused
alerts: [Refused]
permissions:
  run: [sh]
---
${SECTIONS}
\`\`\`ts id=shell
new Deno.Command('sh').outputSync();
\`\`\`
`,
  'greedy.md': `---
title: Greedy
alerts: [Greedy]
permissions:
  net: ["api.github.com:443"]
  env: [DATABASE_URL]
---
${SECTIONS}
\`\`\`ts id=deploys
await fetch('https://api.github.com/');
\`\`\`
`,
  'auto.md': `---
title: Auto
alerts: [AutoDiag]
---
${SECTIONS}
\`\`\`ts id=first-look run=auto
await new Promise((resolve) => setTimeout(resolve, 300));
show.json({ labels: alert.labels });
\`\`\`
`,
};

beforeEach(async () => {
  for (const [name, content] of Object.entries(RUNBOOKS)) writeFileSync(join(dir, name), content);
  library = new RunbookLibrary({ dir, db: app().database.db, logger: createLogger({ silent: true }) });
  await library.reload();
});

async function openIncident(alertname: string): Promise<number> {
  await deliver(app(), amNotification([amAlert({ alertname, labels: { job: 'api' } })]));
  const res = await app().api('/incidents');
  const { incidents } = (await res.json()) as { incidents: { id: number; alertname: string }[] };
  return incidents.find((i) => i.alertname === alertname)!.id;
}

const runCell = (id: number, cellId: string) => app().api(`/incidents/${id}/cells/${cellId}/run`, { method: 'POST' });

describe('POST /incidents/:id/cells/:cellId/run', () => {
  it("runs the cell of the pinned version with the incident's labels and puts the run on the timeline", async () => {
    const id = await openIncident('HighErrorRate');
    const before = metricSample(
      await (await app().app.request('/metrics')).text(),
      'alertbook_prometheus_queries_total{datasource="default",kind="instant",outcome="ok"}',
    );
    const res = await runCell(id, 'top');
    expect(res.status, await res.clone().text()).toBe(200);
    const event = await res.json();
    expect(event).toMatchObject({
      type: 'cell.run',
      actor: 'alice',
      data: {
        cellId: 'top',
        title: 'Top jobs',
        runbook: { id: 'errors', sha: expect.stringMatching(/^[0-9a-f]{64}$/) },
        permissions: { net: [], env: ['REGION'], read: [] },
        ok: true,
        error: null,
        exit: { code: 0, signal: null, reason: 'exited' },
        outputs: [
          { kind: 'table', rows: expect.any(Array) },
          { kind: 'text', text: `eu-west-1 ${id} firing\n` },
        ],
      },
    });
    expect(event.data.durationMs).toBeGreaterThan(0);
    expect(prometheus.requests.at(-1)?.params.query).toBe('up{job="api"}');
    const after = metricSample(
      await (await app().app.request('/metrics')).text(),
      'alertbook_prometheus_queries_total{datasource="default",kind="instant",outcome="ok"}',
    );
    expect(after).toBe(before + 1);
    const { timeline } = await getIncident(app(), id);
    expect(timeline.filter((e) => e.type === 'cell.run')).toEqual([
      expect.objectContaining({ id: event.id, actor: 'alice' }),
    ]);
  });

  it("records Deno's denial with the frontmatter line that would grant it", async () => {
    const id = await openIncident('HighErrorRate');
    const res = await runCell(id, 'denied');
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data).toMatchObject({
      ok: false,
      error: expect.stringContaining('NotCapable: Requires net access to "example.com:8080"'),
      permissionHint: {
        message: 'NotCapable: Requires net access to "example.com:8080"',
        frontmatter: 'net: ["example.com:8080"]',
        note: 'the host must also be in ALERTBOOK_SCRIPT_ALLOW_NET',
      },
    });
  });

  it('records markdown outputs with their sanitized HTML', async () => {
    const id = await openIncident('HighErrorRate');
    const { data } = await (await runCell(id, 'notes')).json();
    expect(data.permissionHint).toBeNull();
    expect(data.outputs).toEqual([
      {
        kind: 'markdown',
        text: '**five** routes <img src=x onerror=alert(1)>',
        html: expect.stringContaining('<strong>five</strong> routes'),
      },
    ]);
    expect(data.outputs[0].html).not.toMatch(/onerror/);
  });

  it('tells live viewers a run arrived', async () => {
    const id = await openIncident('HighErrorRate');
    const changes: string[][] = [];
    const stop = app().bus.subscribe((change) => change.incidentId === id && changes.push(change.types));
    await runCell(id, 'top');
    stop();
    expect(changes).toContainEqual(['cell.run']);
  });

  describe('refusals start no process', () => {
    let run: ReturnType<typeof vi.spyOn>;
    beforeEach(() => {
      run = vi.spyOn(app().scripts.runner, 'run');
    });
    afterEach(() => {
      expect(run).not.toHaveBeenCalled();
      run.mockRestore();
    });

    it('404 for an unknown cell', async () => {
      const id = await openIncident('HighErrorRate');
      const res = await runCell(id, 'nope');
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toMatch(/cell "nope" in runbook errors/);
    });

    it('404 for an unknown incident', async () => {
      expect((await runCell(999, 'top')).status).toBe(404);
    });

    it('422 for a PromQL cell', async () => {
      const id = await openIncident('HighErrorRate');
      const res = await runCell(id, 'ratio');
      expect(res.status).toBe(422);
      expect((await res.json()).error).toMatchObject({
        code: 'unprocessable',
        message: expect.stringMatching(/is a PromQL cell/),
      });
    });

    it('422 with the reason for a refused permission', async () => {
      const id = await openIncident('Refused');
      const res = await runCell(id, 'shell');
      expect(res.status).toBe(422);
      expect((await res.json()).error.message).toMatch(
        /cell "shell" is disabled: frontmatter: permissions\.run is refused/,
      );
    });

    it("422 with the reason for permissions over the operator's ceiling", async () => {
      const id = await openIncident('Greedy');
      const res = await runCell(id, 'deploys');
      expect(res.status).toBe(422);
      expect((await res.json()).error.message).toBe(
        'cell "deploys" is disabled: the runbook asks for more than this service allows: net api.github.com:443 (ALERTBOOK_SCRIPT_ALLOW_NET allows nothing); env DATABASE_URL (ALERTBOOK_SCRIPT_ALLOW_ENV allows REGION)',
      );
    });
  });

  it('429 with Retry-After beyond the running run and the queue, before any process', async () => {
    const id = await openIncident('HighErrorRate');
    const first = runCell(id, 'slow');
    const second = runCell(id, 'slow');
    await vi.waitFor(() => expect(app().scripts.runner.queue.size).toEqual({ running: 1, waiting: 1 }));
    const third = await runCell(id, 'slow');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(app().scripts.gateway.activeGrants).toBe(1);
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });
});

describe('GET /incidents/:id/script-cells', () => {
  const disabledReason = async (alertname: string) => {
    const res = await app().api(`/incidents/${await openIncident(alertname)}/script-cells`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { disabledReason: string | null }).disabledReason;
  };

  it("says whether the pinned runbook's script cells may run, and why not", async () => {
    expect(await disabledReason('HighErrorRate')).toBeNull();
    expect(await disabledReason('Refused')).toMatch(/permissions\.run is refused/);
    expect(await disabledReason('Greedy')).toMatch(/^the runbook asks for more than this service allows/);
  });

  it('404 for an unknown incident', async () => {
    expect((await app().api('/incidents/999/script-cells')).status).toBe(404);
  });
});

describe('run=auto cells', () => {
  it("run once after the incident opens, without holding the webhook's answer", async () => {
    const id = await openIncident('AutoDiag');
    const early = await getIncident(app(), id);
    expect(early.timeline.some((e) => e.type === 'cell.run')).toBe(false);
    await app().outbox!.drain();
    const { timeline } = await getIncident(app(), id);
    expect(timeline.filter((e) => e.type === 'cell.run')).toEqual([
      expect.objectContaining({
        actor: 'alertbook',
        data: expect.objectContaining({
          cellId: 'first-look',
          ok: true,
          outputs: [
            { kind: 'json', value: { labels: expect.objectContaining({ alertname: 'AutoDiag', job: 'api' }) } },
          ],
        }),
      }),
    ]);
  });
});
