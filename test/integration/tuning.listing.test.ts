import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunbookCatalogue } from '../../src/domain/runbooks/catalogue.js';
import { RuleFiles } from '../../src/rules/rule-files.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rules = new RuleFiles({ patterns: ['runbooks/rules/**/*.{yml,yaml}'], cwd: root });
const catalogue = new RunbookCatalogue();

interface Listed {
  alertname: string;
  line: number;
  runbook: string | null;
  openIncidents: number;
}

describe('GET /api/v1/rules: linked runbook and open incidents', () => {
  beforeAll(async () => {
    await rules.reload();
    catalogue.replace((await loadRunbooks(`${root}runbooks`)).map((file) => file.parsed));
  });
  const t = useTestApp({ rules, runbooks: { catalogue, reload: async () => ({}) } });

  it('links each rule to the runbook its alerts would get, and counts its firing incidents', async () => {
    await t().hook(amNotification([amAlert({ alertname: 'ApiHighLatency' })]));
    await t().hook(
      amNotification([amAlert({ alertname: 'ApiHighLatency', labels: { job: 'web' } })], {
        groupKey: '{}:{alertname="ApiHighLatency",job="web"}',
      }),
    );
    const { rules: listed } = (await (await t().api('/rules')).json()) as { rules: Listed[] };
    const latency = listed.filter((rule) => rule.alertname === 'ApiHighLatency');
    expect(latency.map((rule) => [rule.line, rule.runbook, rule.openIncidents])).toEqual([
      [57, 'api-latency', 2],
      [68, 'api-latency', 2],
    ]);
    expect(listed.every((rule) => rule.alertname === 'ApiHighLatency' || rule.openIncidents === 0)).toBe(true);
    const one = await t().api('/rules/ApiNoTraffic');
    expect(await one.json()).toMatchObject({ alertname: 'ApiNoTraffic', runbook: 'api-no-traffic', openIncidents: 0 });
  });
});
