import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';

const history = historyGenerator();
const app = useTestApp(history.deps);
beforeEach(() => history.attach(app()));
afterAll(() => history.cleanup());

const WEEK = { week: '2026-W43', tz: 'Europe/Berlin' };

describe('stored reports', () => {
  it('POST keeps the report; it reads back byte for byte, after retention removed the rows it counted', async () => {
    await buildDstWeekHistory(history);
    const live = await (await app().api('/reports/weekly?week=2026-W43&tz=Europe/Berlin')).json();
    const created = await app().api('/reports/weekly', { method: 'POST', json: WEEK });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v1\/reports\/stored\/1$/);
    const storedText = await created.text();
    expect(JSON.parse(storedText)).toEqual(live);
    const markdownBefore = await (await app().api('/reports/stored/1?format=md')).text();

    // Storing the same period again returns the first report.
    const again = await app().api('/reports/weekly', { method: 'POST', json: WEEK });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(storedText);

    // Retention: the raw rows go.
    await app().database.db.execute(sql`truncate incidents, alerts, timeline_events, notifications cascade`);
    expect(
      (await (await app().api('/reports/weekly?week=2026-W43&tz=Europe/Berlin')).json()).volume.incidentsOpened.value,
    ).toBe(0);
    const read = await app().api(location.replace('/api/v1', ''));
    expect(read.status).toBe(200);
    expect(await read.text()).toBe(storedText);
    expect(await (await app().api('/reports/stored/1?format=md')).text()).toBe(markdownBefore);
    const list = (await (await app().api('/reports/stored')).json()) as {
      reports: { id: number; week: string; definitionsVersion: number }[];
    };
    expect(list.reports).toEqual([
      expect.objectContaining({ id: 1, week: '2026-W43', tz: 'Europe/Berlin', definitionsVersion: 1 }),
    ]);
  });

  it('a report stored before reports said how much history they cover still renders, as it was', async () => {
    await history.fire('2026-10-28T10:00:00Z', {
      alertname: 'DiskFull',
      instance: 'db-0',
      startsAt: '2026-10-28T09:59:00Z',
    });
    expect((await app().api('/reports/weekly', { method: 'POST', json: { week: '2026-W44', tz: 'UTC' } })).status).toBe(
      201,
    );
    // What an older version stored: no `history`, and trend periods without one.
    await app().database.db.execute(
      sql`update stored_reports set report_json = ((report_json::jsonb - 'history')
            #- '{volume,trend,0,history}' #- '{volume,trend,7,history}')::text`,
    );
    const md = await (await app().api('/reports/stored/1?format=md')).text();
    expect(md).toContain('| Incidents opened | 1 |');
    expect(md).not.toContain('> **'); // no notice: the stored report did not know
    expect(md).toContain('| 2026-W37 | 0 | 0 |'); // a period without a mark reads as before
    expect(md).toContain('| 2026-W38 (no history) | 0 | 0 |');
    const html = await app().api('/reports/stored/1?format=html');
    expect(html.status).toBe(200);
    expect(await html.text()).not.toContain('history-notice');
  });

  it('refuses a bad period with a 400 naming it and stores nothing; an unknown id is a 404', async () => {
    const res = await app().api('/reports/weekly', { method: 'POST', json: { week: '2025-W53' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('week');
    const tz = await app().api('/reports/weekly', { method: 'POST', json: { week: '2026-W01', tz: 'Nowhere/City' } });
    expect(((await tz.json()) as { error: { field: string } }).error.field).toBe('tz');
    expect(((await (await app().api('/reports/stored')).json()) as { reports: unknown[] }).reports).toEqual([]);
    expect((await app().api('/reports/stored/7')).status).toBe(404);
  });
});

describe('report formats', () => {
  it('serves markdown for Accept: text/markdown or format=md, with tables, a Mermaid xychart and the definitions', async () => {
    await buildDstWeekHistory(history);
    const res = await app().api('/reports/weekly?week=2026-W43&tz=Europe/Berlin', {
      headers: { accept: 'text/markdown' },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    const md = await res.text();
    expect(md).toContain('# Alert history: 2026-W43 (Europe/Berlin)');
    // On the zone's clock (the week ends a day after the clocks went back: 22:00Z → 23:00Z), not UTC instants.
    expect(md).toMatch(
      /\n2026-10-19 00:00 → 2026-10-26 00:00 Europe\/Berlin · generated \d{4}-\d\d-\d\d \d\d:\d\d · definitions v\d+\n/,
    );
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(md).toContain('bar [3, 0, 1, 1, 0, 0, 1]');
    expect(md).toContain('| Incidents opened | 6 | 1 | n/a |');
    expect(md).toContain('| 2026-W42 (history begins) | 1 | 1 |');
    expect(md).not.toContain('> **'); // no history notice: W43 is all recorded
    expect(md).toContain('## Definitions');
    expect(md).toContain('- **mttr**: MTTR (time to resolve)');
    expect(await (await app().api('/reports/weekly?week=2026-W43&tz=Europe/Berlin&format=md')).text()).toBe(md);
  });

  it('serves one self-contained HTML file: inline SVG charts, no script, no external asset', async () => {
    await buildDstWeekHistory(history);
    const res = await app().api('/reports/weekly?week=2026-W43&tz=Europe/Berlin', {
      headers: { accept: 'text/html,*/*' },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('2026-10-19 00:00 → 2026-10-26 00:00 Europe/Berlin · generated ');
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html).toContain('<figure id="daily-volume">');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(|@import/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain('<dt>selfResolving</dt>');
  });
});
