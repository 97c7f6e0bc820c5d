import { describe, expect, it } from 'vitest';
import type { ReportWeek } from '../../src/domain/reports/recent-weeks.js';
import { useTestApp } from '../support/app.js';

// Monday 26 October 2026, 10:00 UTC: ISO week 2026-W44 has just begun, in Berlin as in UTC.
let now = new Date('2026-10-26T10:00:00Z');
const app = useTestApp({ clock: () => now });

async function weeks(query = ''): Promise<{ tz: string; weeks: ReportWeek[] }> {
  const res = await app().api(`/reports/weeks${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { tz: string; weeks: ReportWeek[] };
}

describe('GET /reports/weeks (the notebook list of weeks)', () => {
  it("lists the server's current week and the 12 before it, newest first, in the zone asked for", async () => {
    const list = await weeks('?tz=Europe/Berlin');
    expect(list.tz).toBe('Europe/Berlin');
    expect(list.weeks.map((w) => w.week)).toEqual([
      '2026-W44',
      '2026-W43',
      '2026-W42',
      '2026-W41',
      '2026-W40',
      '2026-W39',
      '2026-W38',
      '2026-W37',
      '2026-W36',
      '2026-W35',
      '2026-W34',
      '2026-W33',
      '2026-W32',
    ]);
    expect(list.weeks.map((w) => w.inProgress)).toEqual([true, ...Array(12).fill(false)]);
    // The week summer time ends: 169 hours, Berlin midnight to Berlin midnight.
    expect(list.weeks[1]).toEqual({
      week: '2026-W43',
      tz: 'Europe/Berlin',
      from: '2026-10-18T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
      inProgress: false,
      history: 'none', // no alert stored yet
      stored: null,
    });
    expect((await weeks()).tz).toBe('UTC');
  });

  it('marks stored weeks, and keeps older stored weeks (of any zone) in the list', async () => {
    now = new Date('2026-10-26T10:00:00Z');
    expect(
      (await app().api('/reports/weekly', { method: 'POST', json: { week: '2026-W43', tz: 'Europe/Berlin' } })).status,
    ).toBe(201);
    expect((await app().api('/reports/weekly', { method: 'POST', json: { week: '2026-W02', tz: 'UTC' } })).status).toBe(
      201,
    );
    now = new Date('2026-10-27T08:00:00Z');
    const list = await weeks('?tz=Europe/Berlin');
    expect(list.weeks).toHaveLength(14);
    expect(list.weeks[1]).toMatchObject({
      week: '2026-W43',
      stored: { id: 1, createdAt: '2026-10-26T10:00:00.000Z', createdBy: 'alice' },
    });
    expect(list.weeks.filter((w) => w.stored !== null).map((w) => [w.week, w.tz])).toEqual([
      ['2026-W43', 'Europe/Berlin'],
      ['2026-W02', 'UTC'],
    ]);
    expect(list.weeks.at(-1)).toMatchObject({ week: '2026-W02', tz: 'UTC', inProgress: false });
  });

  it('refuses an unknown zone or parameter with a 400 naming it', async () => {
    for (const [query, field] of [
      ['?tz=Mars/Olympus', 'tz'],
      ['?week=2026-W43', 'week'],
    ] as const) {
      const res = await app().api(`/reports/weeks${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
  });
});
