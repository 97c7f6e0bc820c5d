import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { metricNames } from '../domain/rules/metric-names.js';
import { parseRunbook } from '../domain/runbooks/parse-runbook.js';
import { renderQuery } from '../domain/runbooks/template-query.js';
import { PROJECT_DIR } from '../project-dir.js';
import { demoRules } from './demo-config.js';
import { startDemoService, type DemoService } from './demo-service.js';

interface DemoRule {
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const shippedRules = readFileSync(join(PROJECT_DIR, 'runbooks', 'rules', 'web-api.yaml'), 'utf8');
const demoAlerts = (parse(demoRules(shippedRules)) as { groups: Array<{ rules: DemoRule[] }> }).groups.flatMap(
  (group) => group.rules,
);

/** Every metric the cells of the runbooks the demo's alerts link to read, filled with the demo's labels. */
function metricsTheDemoRunbooksRead(): Map<string, string> {
  const readBy = new Map<string, string>();
  for (const rule of demoAlerts) {
    const id = rule.annotations.runbook_url!.replace('/runbooks/', '');
    const runbook = parseRunbook({
      path: `${id}.md`,
      content: readFileSync(join(PROJECT_DIR, 'runbooks', `${id}.md`), 'utf8'),
    });
    for (const cell of runbook.cells) {
      const labels = { alertname: rule.alert, job: 'api', ...rule.labels };
      const query = renderQuery(cell.query, { labels, annotations: {}, externalURL: '' });
      for (const name of metricNames(query)) readBy.set(name, `${id}: ${cell.title ?? cell.id}`);
    }
  }
  return readBy;
}

/** The samples of one metric name in Prometheus' text format, by their label set. */
function samples(exposition: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const match = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/);
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

describe('the demo service', () => {
  let service: DemoService;
  const scrape = async () => (await fetch(`${service.url}/metrics`)).text();

  beforeAll(async () => {
    service = await startDemoService({ phaseMs: 60_000, requestsPerSecond: 100 });
  });
  afterAll(() => service.close());

  it('exports every metric the runbooks of its alerts chart, so no cell of theirs is empty in the demo', async () => {
    const wanted = metricsTheDemoRunbooksRead();
    expect(wanted.size).toBeGreaterThan(3);
    await vi.waitFor(
      async () => {
        const exposition = await scrape();
        const missing = [...wanted].filter(([name]) => samples(exposition, name).size === 0);
        expect(missing.map(([name, cell]) => `${name} (${cell})`)).toEqual([]);
      },
      { timeout: 3_000, interval: 100 },
    );
  });

  it("keeps its database fast while the API is bad: the latency runbook's database step answers 'not the database'", async () => {
    expect(service.phase()).toBe('bad');
    await vi.waitFor(
      async () => expect(samples(await scrape(), 'db_query_duration_seconds_count').size).toBeGreaterThan(0),
      { timeout: 3_000, interval: 100 },
    );
    const exposition = await scrape();
    const within50ms = [...samples(exposition, 'db_query_duration_seconds_bucket')]
      .filter(([labels]) => labels.includes('le="0.05"'))
      .reduce((sum, [, count]) => sum + count, 0);
    const all = [...samples(exposition, 'db_query_duration_seconds_count').values()].reduce((a, b) => a + b, 0);
    expect(within50ms).toBe(all);
  });
});
