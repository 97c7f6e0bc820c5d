import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { WeeklyReport } from '../../src/domain/reports/model.js';
import { useTestApp } from '../support/app.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';

const PUBLIC_URL = 'https://alertbook.example.com/ops';
const history = historyGenerator();
const app = useTestApp({ ...history.deps, reports: { publicUrl: PUBLIC_URL } });
beforeEach(() => history.attach(app()));
afterAll(() => history.cleanup());

const WEEK = '/reports/weekly?week=2026-W43&tz=Europe/Berlin';

describe('links of reports read outside the app (ALERTBOOK_PUBLIC_URL)', () => {
  it('markdown and HTML link absolutely under the public URL; JSON keeps the API paths', async () => {
    await buildDstWeekHistory(history);
    const markdown = await (await app().api(`${WEEK}&format=md`)).text();
    expect(markdown).toContain(`(${PUBLIC_URL}/api/v1/incidents?`);
    expect(markdown).toContain(`${PUBLIC_URL}/incidents/4?tune=1`);
    expect(markdown).toContain(`${PUBLIC_URL}/api/v1/runbooks/high-latency/diff?from=`);
    expect(markdown).not.toMatch(/[(| ]\/(api|incidents)\//);

    const html = await (await app().api(`${WEEK}&format=html`)).text();
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(20);
    expect(hrefs.filter((h) => !h.startsWith(`${PUBLIC_URL}/`))).toEqual([]);

    const json = (await (await app().api(WEEK)).json()) as WeeklyReport;
    expect(json.volume.incidentsOpened.query).toMatch(/^\/api\/v1\/incidents\?/);
  });

  it('a stored report served as markdown links absolutely too', async () => {
    await buildDstWeekHistory(history);
    const res = await app().api('/reports/weekly', { method: 'POST', json: { week: '2026-W43', tz: 'Europe/Berlin' } });
    expect(res.status).toBe(201);
    const markdown = await (await app().api(`${res.headers.get('location')!.replace('/api/v1', '')}?format=md`)).text();
    expect(markdown).toContain(`(${PUBLIC_URL}/api/v1/incidents?`);
  });
});
