import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { slackSummary } from '../../src/domain/reports/deliver-report.js';
import type { WeeklyReport } from '../../src/domain/reports/model.js';
import type { ReportWeek } from '../../src/domain/reports/recent-weeks.js';
import { useTestApp } from '../support/app.js';
import { historyGenerator } from '../support/history-generator.js';

/*
 * A report of a week before Alertbook stored its first alert is all zeros, which
 * reads as "a quiet week"; the week it was installed in is partly recorded. Reports
 * say so, and compare weeks only when the earlier one is wholly recorded.
 */
const history = historyGenerator();
const app = useTestApp(history.deps);
beforeEach(() => history.attach(app()));
afterAll(() => history.cleanup());

async function report(week: string, format: 'json' | 'md' | 'html' = 'json') {
  const res = await app().api(`/reports/weekly?week=${week}&tz=UTC&format=${format}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}
const json = async (week: string) => (await (await report(week)).json()) as WeeklyReport;

async function weeks(): Promise<ReportWeek[]> {
  const res = await app().api('/reports/weeks?tz=UTC');
  expect(res.status).toBe(200);
  return ((await res.json()) as { weeks: ReportWeek[] }).weeks;
}

const alert = (alertname: string, startsAt: string) => ({ alertname, instance: 'api-0', startsAt });

// ISO weeks in UTC: 2026-W44 starts Monday 26 October, W45 on 2 November, W46 on 9 November.
async function installedMidWeek() {
  await history.fire('2026-10-28T10:00:00Z', alert('DiskFull', '2026-10-28T09:59:00Z'));
  await history.fire('2026-11-03T10:00:00Z', alert('CPUHigh', '2026-11-03T09:59:00Z'));
  for (const [day, name] of [
    ['09', 'HighLatency'],
    ['10', 'MemoryLeak'],
    ['11', 'QueueBacklog'],
  ] as const) {
    await history.fire(`2026-11-${day}T10:00:00Z`, alert(name, `2026-11-${day}T09:59:00Z`));
  }
}

describe("reports say how much of a period Alertbook's history covers", () => {
  it('before any alert: every week is marked "no history", and the report says zeros mean no data', async () => {
    const r = await json('2026-W44');
    expect(r.history).toEqual({ from: null, covers: 'none' });
    expect(r.volume.trend.every((t) => t.history === 'none')).toBe(true);
    expect(await (await report('2026-W44', 'md')).text()).toContain(
      '> **Alertbook has stored no alert yet: zeros here mean no data, not a quiet period.**',
    );
    expect(new Set((await weeks()).map((w) => w.history))).toEqual(new Set(['none']));
  });

  it('the week of the first alert is partly recorded; the weeks before it have no history', async () => {
    await installedMidWeek();
    const from = '2026-10-28T10:00:00.000Z';

    const installWeek = await json('2026-W44');
    expect(installWeek.history).toEqual({ from, covers: 'part' });
    expect(installWeek.volume.incidentsOpened.value).toBe(1);
    expect(await (await report('2026-W44', 'html')).text()).toContain(
      'Incidents opened: this period, the first with history',
    );
    const md = await (await report('2026-W44', 'md')).text();
    expect(md).toContain(
      `> **Alertbook's history begins 2026-10-28 10:00 UTC, within this period: its counts cover only what was recorded from then on.**`,
    );
    expect(await (await report('2026-W44', 'html')).text()).toContain(
      `<p class="history-notice"><strong>Alertbook&#39;s history begins 2026-10-28 10:00 UTC, within this period`,
    );

    const before = await json('2026-W43');
    expect(before.history).toEqual({ from, covers: 'none' });
    expect(await (await report('2026-W43', 'md')).text()).toContain(
      `> **Alertbook's history begins 2026-10-28 10:00 UTC, after this period: nothing was recorded during it, so low counts mean no data, not a quiet period.**`,
    );

    // The notebook's list of weeks (the server's now is the last fire, in W46).
    const list = await weeks();
    expect(list.slice(0, 4).map((w) => [w.week, w.history])).toEqual([
      ['2026-W46', 'all'],
      ['2026-W45', 'all'],
      ['2026-W44', 'part'],
      ['2026-W43', 'none'],
    ]);
    expect(list.slice(3).every((w) => w.history === 'none')).toBe(true);
  });

  it('compares a week with the one before only when that one is wholly recorded; the trend marks each period', async () => {
    await installedMidWeek();

    // W45 against the install week: 1 incident against 1 partly recorded — no change given.
    const w45 = await json('2026-W45');
    expect(w45.history?.covers).toBe('all');
    expect(w45.volume.previous.incidentsOpened.value).toBe(1);
    expect(w45.volume.change).toEqual({ incidentsOpened: null, occurrencesFired: null });

    // W46 against W45, both wholly recorded: 3 incidents against 1, +200%.
    const w46 = await json('2026-W46');
    expect(w46.volume.change).toEqual({ incidentsOpened: 2, occurrencesFired: 2 });
    expect(w46.volume.trend.map((t) => [t.label, t.incidents.value, t.history])).toEqual([
      ['2026-W39', 0, 'none'],
      ['2026-W40', 0, 'none'],
      ['2026-W41', 0, 'none'],
      ['2026-W42', 0, 'none'],
      ['2026-W43', 0, 'none'],
      ['2026-W44', 1, 'part'],
      ['2026-W45', 1, 'all'],
      ['2026-W46', 3, 'all'],
    ]);
    const md = await (await report('2026-W46', 'md')).text();
    expect(md).not.toContain('> **');
    expect(md).toContain('| 2026-W43 (no history) | 0 | 0 |');
    expect(md).toContain('| 2026-W44 (history begins) | 1 | 1 |');
    expect(md).toContain('| 2026-W45 | 1 | 1 |');
    // The HTML chart draws the periods with history only.
    expect(await (await report('2026-W46', 'html')).text()).toContain('Incidents opened: last 3 periods');

    // The scheduled Slack summary carries the notice of a partly recorded week.
    expect(slackSummary(await json('2026-W44'), 'http://x/r').text).toContain(
      "_Alertbook's history begins 2026-10-28 10:00 UTC, within this period",
    );
    expect(slackSummary(w46, 'http://x/r').text).not.toContain('history begins');
  });
});
