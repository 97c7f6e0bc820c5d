import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RunbookLibrary } from '../../src/runbooks/runbook-library.js';
import { deliver, getIncident } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const dir = mkdtempSync(join(tmpdir(), 'alertbook-runbooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let library: RunbookLibrary;
const app = useTestApp({
  // Delegates: each test builds a fresh library over the same folder.
  runbooks: {
    catalogue: { link: (alert) => library.catalogue.link(alert) },
    reload: () => library.reload(),
  },
});

function errorRateRunbook(threshold = '0.05', extraStep = '') {
  return `---
title: API error rate high
alerts: [HighErrorRate]
owner: team-api
---
# API error rate high

## Diagnosis

\`\`\`promql title="5xx ratio" range=1h step=1m threshold=${threshold}
sum(rate(http_requests_total{job="{{ $labels.job }}", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="{{ $labels.job }}"}[5m]))
\`\`\`

- [ ] Check the latest deploy
- [ ] Look at upstream dependencies
${extraStep}
## Mitigation

Roll back.
`;
}

function write(name: string, content: string) {
  writeFileSync(join(dir, name), content);
}

beforeEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  write('high-error-rate.md', errorRateRunbook());
  write('README.md', '# not a runbook\n');
  library = new RunbookLibrary({ dir, db: app().database.db, logger: createLogger({ silent: true }) });
  await library.reload();
});

async function json<T = any>(path: string, init?: Parameters<ReturnType<typeof app>['api']>[1]): Promise<T> {
  const res = await app().api(path, init);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

describe('runbook catalogue', () => {
  it('lists runbooks from the folder, skipping non-runbook markdown', async () => {
    const { runbooks } = await json('/runbooks');
    expect(runbooks).toMatchObject([
      {
        id: 'high-error-rate',
        title: 'API error rate high',
        alerts: ['HighErrorRate'],
        owner: 'team-api',
        path: 'high-error-rate.md',
        removed: false,
      },
    ]);
    expect(runbooks[0].currentVersion).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves a runbook with sanitized HTML, cells and steps', async () => {
    const runbook = await json('/runbooks/high-error-rate');
    expect(runbook.html).toContain('ab-cell');
    expect(runbook.cells).toMatchObject([{ title: '5xx ratio', range: 3600, step: 60, threshold: 0.05 }]);
    expect(runbook.steps.map((s: { text: string }) => s.text)).toEqual([
      'Check the latest deploy',
      'Look at upstream dependencies',
    ]);
    expect((await app().api('/runbooks/nope')).status).toBe(404);
  });

  it('keeps every version, serves old ones and diffs them', async () => {
    const v1 = (await json('/runbooks/high-error-rate')).version.sha;
    write('high-error-rate.md', errorRateRunbook('0.02'));
    expect(await library.reload()).toMatchObject({ newVersions: 1 });
    const v2 = (await json('/runbooks/high-error-rate')).version.sha;
    expect(v2).not.toBe(v1);

    const { versions } = await json('/runbooks/high-error-rate/versions');
    expect(versions.map((v: { sha: string }) => v.sha).sort()).toEqual([v1, v2].sort());
    expect((await json(`/runbooks/high-error-rate/versions/${v1.slice(0, 10)}`)).cells[0].threshold).toBe(0.05);
    const { diff } = await json(`/runbooks/high-error-rate/diff?from=${v1}`);
    expect(diff).toContain('-```promql title="5xx ratio" range=1h step=1m threshold=0.05');
    expect(diff).toContain('+```promql title="5xx ratio" range=1h step=1m threshold=0.02');
    expect((await app().api('/runbooks/high-error-rate/diff')).status).toBe(400);

    // Reloading unchanged files stores nothing new.
    expect(await library.reload()).toMatchObject({ newVersions: 0 });
  });

  it('marks a deleted runbook removed but keeps its versions readable', async () => {
    unlinkSync(join(dir, 'high-error-rate.md'));
    expect(await library.reload()).toMatchObject({ removed: 1 });
    const { runbooks } = await json('/runbooks');
    expect(runbooks[0]).toMatchObject({ id: 'high-error-rate', removed: true });
    expect((await json('/runbooks/high-error-rate/versions')).versions).toHaveLength(1);
  });

  it('reloads on demand through the API', async () => {
    write('disk-full.md', '---\ntitle: Disk full\nalerts: [DiskFull]\n---\n# Disk full\n');
    await json('/runbooks/reload', { method: 'POST' });
    expect((await json('/runbooks')).runbooks.map((r: { id: string }) => r.id)).toEqual([
      'disk-full',
      'high-error-rate',
    ]);
  });

  it('reloads by itself when a file changes', async () => {
    await library.watch();
    try {
      write('disk-full.md', '---\ntitle: Disk full\nalerts: [DiskFull]\n---\n# Disk full\n');
      const deadline = Date.now() + 10_000;
      let ids: string[] = [];
      while (Date.now() < deadline) {
        ids = (await json('/runbooks')).runbooks.map((r: { id: string }) => r.id);
        if (ids.includes('disk-full')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(ids).toContain('disk-full');
    } finally {
      await library.close();
    }
  });
});

describe('an incident and its runbook', () => {
  it('pins the version it was opened with; a later edit shows as a newer version', async () => {
    await deliver(app(), amNotification([amAlert({ alertname: 'HighErrorRate', labels: { job: 'checkout' } })]));
    const pinned = await json('/incidents/1/runbook');
    const v1 = pinned.runbook.version.sha;
    expect(pinned.newerVersion).toBeNull();
    expect(pinned.runbook.cells[0].renderedQuery).toContain('job="checkout"');
    const { timeline } = await getIncident(app(), 1);
    expect(timeline.find((e) => e.type === 'runbook.linked')).toMatchObject({
      data: { runbookId: 'high-error-rate', sha: v1 },
    });

    write('high-error-rate.md', errorRateRunbook('0.02'));
    await library.reload();
    const later = await json('/incidents/1/runbook');
    expect(later.runbook.version.sha).toBe(v1);
    expect(later.runbook.cells[0].threshold).toBe(0.05);
    expect(later.newerVersion).toEqual({ sha: expect.not.stringMatching(v1) });
  });

  it('escapes hostile label values so the query keeps its meaning', async () => {
    await deliver(
      app(),
      amNotification([amAlert({ alertname: 'HighErrorRate', labels: { job: 'x"} or vector(1) #' } })]),
    );
    const { runbook } = await json('/incidents/1/runbook');
    expect(runbook.cells[0].renderedQuery).toContain('job="x\\"} or vector(1) #"');
  });

  it('records ticked steps with who and when, once per change', async () => {
    await deliver(app(), amNotification([amAlert({ alertname: 'HighErrorRate' })]));
    const stepId = (await json('/incidents/1/runbook')).runbook.steps[0].id;
    const tick = () =>
      app().api(`/incidents/1/steps/${stepId}`, { method: 'POST', json: { checked: true }, as: 'bob' });
    const results = await Promise.all([tick(), tick()]);
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(bodies.filter((b) => b.changed)).toHaveLength(1);
    const { runbook } = await json('/incidents/1/runbook');
    expect(runbook.steps[0]).toMatchObject({ id: stepId, checked: true, checkedBy: 'bob' });

    await json(`/incidents/1/steps/${stepId}`, { method: 'POST', json: { checked: false } });
    const { timeline } = await getIncident(app(), 1);
    expect(timeline.filter((e) => e.type.startsWith('step.')).map((e) => [e.type, e.actor])).toEqual([
      ['step.checked', 'bob'],
      ['step.unchecked', 'alice'],
    ]);

    expect((await app().api('/incidents/1/steps/step-nope', { method: 'POST', json: { checked: true } })).status).toBe(
      404,
    );
    const bad = await app().api(`/incidents/1/steps/${stepId}`, { method: 'POST', json: { checked: 'yes' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'checked' } });
  });

  it('keeps a runbook_url pointing elsewhere as an external link, and links by hand', async () => {
    await deliver(
      app(),
      amNotification([
        amAlert({ alertname: 'Unknown', annotations: { runbook_url: 'https://wiki.example/runbooks/x' } }),
      ]),
    );
    expect(await json('/incidents/1/runbook')).toEqual({
      runbook: null,
      externalUrl: 'https://wiki.example/runbooks/x',
    });

    await json('/incidents/1/runbook', { method: 'POST', json: { id: 'high-error-rate' }, as: 'bob' });
    expect((await json('/incidents/1/runbook')).runbook.id).toBe('high-error-rate');
    const { timeline } = await getIncident(app(), 1);
    expect(timeline.at(-1)).toMatchObject({ type: 'runbook.linked', actor: 'bob', data: { manual: true } });
    expect((await app().api('/incidents/1/runbook', { method: 'POST', json: { id: 'nope' } })).status).toBe(404);
  });
});
