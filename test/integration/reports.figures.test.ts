import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { WeeklyReport } from '../../src/domain/reports/model.js';
import { useTestApp } from '../support/app.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';

const history = historyGenerator();
const app = useTestApp(history.deps);
beforeEach(() => history.attach(app()));
afterAll(() => history.cleanup());

async function report(query: string): Promise<WeeklyReport> {
  const res = await app().api(`/reports/weekly${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as WeeklyReport;
}

const values = <T extends { value: number | null }>(
  list: { key?: string; alertname?: string }[],
  pick: (x: any) => T,
) => Object.fromEntries(list.map((x) => [x.key ?? x.alertname, pick(x).value]));

describe('weekly report figures, worked out by hand (test/support/history-generator.ts buildDstWeekHistory)', () => {
  it('counts the DST week in Europe/Berlin: volume', async () => {
    await buildDstWeekHistory(history);
    const r = await report('?week=2026-W43&tz=Europe/Berlin');
    expect(r.period).toMatchObject({
      week: '2026-W43',
      from: '2026-10-18T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
    });
    const v = r.volume;
    // #1 opened in W42 (Sunday 23:30 Berlin) and counts there, not here; #7 (23:30 CET Sunday) counts here.
    expect(v.incidentsOpened.value).toBe(6);
    expect(v.occurrencesFired.value).toBe(6);
    // 2 each for #2–#6 (the out-of-order pair is two contents), #7's firing, #1's resolution (received Monday).
    expect(v.notificationsReceived.value).toBe(12);
    expect(v.duplicatesAbsorbed.value).toBe(1);
    expect(v.previous).toMatchObject({
      label: '2026-W42',
      incidentsOpened: { value: 1 },
      occurrencesFired: { value: 1 },
    });
    // The history begins in W42 (its first alert, Sunday 23:30 Berlin): W43 is all recorded, W42 only from then on, so
    // no week-over-week change is given (+500% would be the install date talking).
    expect(r.history).toEqual({ from: '2026-10-18T21:30:00.000Z', covers: 'all' });
    expect(v.change).toEqual({ incidentsOpened: null, occurrencesFired: null });
    expect(values(v.bySeverity, (b) => b.incidents)).toEqual({ critical: 4, warning: 2 });
    expect(values(v.bySeverity, (b) => b.occurrences)).toEqual({ critical: 4, warning: 2 });
    expect(values(v.byAlertname, (b) => b.incidents)).toEqual({
      HighLatency: 3,
      CPUHigh: 1,
      DiskFull: 1,
      MemoryLeak: 1,
    });
    expect(values(v.byReceiver, (b) => b.incidents)).toEqual({ alertbook: 6 });
    expect(values(v.byRunbookOwner, (b) => b.incidents)).toEqual({ '(none)': 3, 'team-api': 3 });
    expect(v.trend.map((t) => [t.label, t.incidents.value, t.history])).toEqual([
      ['2026-W36', 0, 'none'],
      ['2026-W37', 0, 'none'],
      ['2026-W38', 0, 'none'],
      ['2026-W39', 0, 'none'],
      ['2026-W40', 0, 'none'],
      ['2026-W41', 0, 'none'],
      ['2026-W42', 1, 'part'],
      ['2026-W43', 6, 'all'],
    ]);
    expect(v.byDay.map((d) => [d.date, d.incidents.value])).toEqual([
      ['2026-10-19', 3],
      ['2026-10-20', 0],
      ['2026-10-21', 1],
      ['2026-10-22', 1],
      ['2026-10-23', 0],
      ['2026-10-24', 0],
      ['2026-10-25', 1],
    ]);
    expect(v.byWeekday.map((d) => d.incidents.value)).toEqual([3, 0, 1, 1, 0, 0, 1]);
    // Local hours: 10, 14, 18 CEST Monday; 12 Wednesday; 11 Thursday; 23 CET Sunday.
    const hours = Object.fromEntries(
      v.byHour.filter((h) => h.incidents.value! > 0).map((h) => [h.hour, h.incidents.value]),
    );
    expect(hours).toEqual({ 10: 1, 11: 1, 12: 1, 14: 1, 18: 1, 23: 1 });
  });

  it('response: MTTA/MTTR median, p90, mean; never acked, still open, manual vs automatic', async () => {
    await buildDstWeekHistory(history);
    const { overall, byAlertname, bySeverity } = (await report('?week=2026-W43&tz=Europe/Berlin')).response;
    // Acknowledged: #2 after 240 s, #5 after 600 s.
    expect([
      overall.mtta.median.value,
      overall.mtta.p90.value,
      overall.mtta.mean.value,
      overall.mtta.count.value,
    ]).toEqual([420, 564, 420, 2]);
    // Resolved before the week ended: 120, 180, 900 (#6, out of order), 1800, 3600 (#5 by hand); #7 is still open.
    expect(overall.mttr.count.value).toBe(5);
    expect(overall.mttr.median.value).toBe(900);
    expect(overall.mttr.p90.value).toBeCloseTo(2880, 6);
    expect(overall.mttr.mean.value).toBeCloseTo(1320, 6);
    expect(overall.neverAcknowledged.value).toBe(4);
    expect(overall.stillOpen.value).toBe(1);
    expect(overall.resolvedManually.value).toBe(1);
    expect(overall.resolvedAutomatically.value).toBe(4);
    const latency = byAlertname.find((s) => s.key === 'HighLatency')!;
    expect([latency.mtta.median.value, latency.mttr.median.value, latency.mttr.count.value]).toEqual([240, 180, 3]);
    const warning = bySeverity.find((s) => s.key === 'warning')!;
    expect([
      warning.incidents.value,
      warning.mtta.median.value,
      warning.mttr.median.value,
      warning.stillOpen.value,
    ]).toEqual([2, 600, 3600, 1]);
  });

  it('noise: noisiest, flapping, self-resolving, pages with action', async () => {
    await buildDstWeekHistory(history);
    const { noise } = await report('?week=2026-W43&tz=Europe/Berlin');
    expect(noise.noisiest.map((x) => [x.alertname, x.firings.value])).toEqual([
      ['HighLatency', 3],
      ['CPUHigh', 1],
      ['DiskFull', 1],
      ['MemoryLeak', 1],
    ]);
    expect(noise.flappingFingerprints.value).toBe(1);
    expect(noise.flapping).toHaveLength(1);
    expect(noise.flapping[0]).toMatchObject({
      alertname: 'HighLatency',
      firings: { value: 3 },
      maxFiringsIn24h: { value: 3 },
      shortEpisodes: { value: 2 },
    });
    // #3 and #4: resolved on their own within 5 minutes, nobody acknowledged.
    expect(noise.selfResolving.total.value).toBe(2);
    expect(noise.selfResolving.byAlertname.map((s) => [s.alertname, s.incidents.value, s.of.value])).toEqual([
      ['HighLatency', 2, 3],
    ]);
    // #2 (ack, note, step) and #5 (ack).
    expect(noise.pagesWithAction.count.value).toBe(2);
    expect(noise.pagesWithAction.share.value).toBeCloseTo(2 / 6, 9);
  });

  it('runbooks: coverage, use, changes with a diff link; actions ranked', async () => {
    await buildDstWeekHistory(history);
    const r = await report('?week=2026-W43&tz=Europe/Berlin');
    expect(r.runbooks.withRunbook.value).toBe(3);
    expect(r.runbooks.coverage.value).toBe(0.5);
    expect(r.runbooks.alertnamesWithoutRunbook.map((a) => [a.alertname, a.incidents.value])).toEqual([
      ['CPUHigh', 1],
      ['DiskFull', 1],
      ['MemoryLeak', 1],
    ]);
    expect(r.runbooks.incidentsWithSteps.value).toBe(1);
    expect(r.runbooks.incidentsWithSnapshots.value).toBe(0);
    // #2, #3 and #4 have the HighLatency runbook (2 steps in either version): 6 steps, #2's first one ticked.
    expect(r.runbooks.stepsTicked.value).toBe(1);
    expect(r.runbooks.stepShare.value).toBeCloseTo(1 / 6, 9);
    expect(r.definitions.stepShare).toMatch(/pinned/);
    expect(r.runbooks.changed).toHaveLength(1);
    const change = r.runbooks.changed[0]!;
    expect(change).toMatchObject({ runbookId: 'high-latency', title: 'High latency', versions: { value: 1 } });
    expect(change.diff).toBe(`/api/v1/runbooks/high-latency/diff?from=${change.before}&to=${change.after}`);
    expect((await app().api(change.diff!.replace('/api/v1', ''))).status).toBe(200);

    expect(r.actions.map((a) => a.text)).toEqual([
      '4 incidents were never acknowledged: check who gets paged →',
      expect.stringMatching(/^HighLatency \([0-9a-f]+\) flapped: 3 firings, up to 3 within 24 h/),
      'HighLatency opened 3 incidents, 2 resolved within 5 min without acknowledgement: tune →',
      'CPUHigh opened 1 incidents with no runbook: write one →',
      'DiskFull opened 1 incidents with no runbook: write one →',
    ]);
    expect(r.tuning).toMatchObject({ decisionsAvailable: true, recorded: [], effects: [] });
    expect(r.tuning.recommendations.map((t) => [t.alertname, t.link])).toEqual([
      ['HighLatency', '/incidents/4?tune=1'],
    ]);
    for (const key of [
      'incidentsOpened',
      'mtta',
      'mttr',
      'stillOpen',
      'flapping',
      'selfResolving',
      'coverage',
      'period',
    ]) {
      expect(r.definitions[key], key).toMatch(/\w/);
    }
  });

  it('the edge cases the definitions name, each on the incidents its figure lists', async () => {
    await buildDstWeekHistory(history);
    const r = await report('?week=2026-W43&tz=Europe/Berlin');
    const listed = async (query: string) => {
      const res = await app().api(query.replace(/^\/api\/v1/, ''));
      const rows = ((await res.json()) as { incidents: { id: number; startedAt: string; resolvedAt: string | null }[] })
        .incidents;
      return Object.fromEntries(rows.map((i) => [i.id, i]));
    };
    const ids = async (query: string) =>
      Object.keys(await listed(query))
        .map(Number)
        .sort();
    // DST week: Monday 00:00 CEST to Monday 00:00 CET is 169 hours.
    expect(Date.parse(r.period.to) - Date.parse(r.period.from)).toBe(169 * 3_600_000);
    // Spanning two weeks: #1 opened Sunday 23:30 CEST (W42) and resolved in W43; it counts in W42 only.
    expect(await ids(r.volume.previous.incidentsOpened.query)).toEqual([1]);
    expect(await ids(r.volume.incidentsOpened.query)).toEqual([2, 3, 4, 5, 6, 7]);
    // Never acknowledged: the two self-resolving re-fires, the out-of-order one, the still open one.
    expect(await ids(r.response.overall.neverAcknowledged.query)).toEqual([3, 4, 6, 7]);
    // Still open at the week's end: #7 resolved 30 minutes after it; left out of MTTR.
    expect(await ids(r.response.overall.stillOpen.query)).toEqual([7]);
    expect(await ids(r.response.overall.mttr.count.query)).toEqual([2, 3, 4, 5, 6]);
    // Manual resolve: #5's time to resolve ends when bob resolved it (11:00), not when its alert ended (11:30).
    const manual = await listed(r.response.overall.resolvedManually.query);
    expect(Object.keys(manual).map(Number)).toEqual([5]);
    expect(manual[5]!.resolvedAt).toBe('2026-10-21T11:00:00.000Z');
    // Out-of-order delivery: #6's resolution arrived before its firing; one incident, resolved at the alert's end.
    const automatic = await listed(r.response.overall.resolvedAutomatically.query);
    expect(automatic[6]).toMatchObject({
      startedAt: '2026-10-22T09:00:00.000Z',
      resolvedAt: '2026-10-22T09:15:00.000Z',
    });
    expect(r.volume.byAlertname.find((b) => b.key === 'MemoryLeak')?.occurrences?.value).toBe(1);
  });

  it('the same history in UTC: the week moves two hours, the counts of this history do not', async () => {
    await buildDstWeekHistory(history);
    const r = await report('?week=2026-W43&tz=UTC');
    expect(r.period).toMatchObject({ from: '2026-10-19T00:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
    // #1 opened Sunday 21:30Z: W42 in UTC too. The week holds #2–#7.
    expect(r.volume.incidentsOpened.value).toBe(6);
    // #7 resolved at 00:30Z, after the UTC week ended: still open.
    expect(r.response.overall.stillOpen.value).toBe(1);
  });

  it('an empty week is a report of zeros, marked as without history', async () => {
    const r = await report('?week=2026-W10&tz=Europe/Berlin');
    expect(r.history).toEqual({ from: null, covers: 'none' }); // no alert stored at all
    expect(r.volume.incidentsOpened.value).toBe(0);
    expect(r.volume.occurrencesFired.value).toBe(0);
    expect(r.volume.notificationsReceived.value).toBe(0);
    expect(r.volume.byDay.map((d) => d.incidents.value)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(r.response.overall.mtta.median.value).toBeNull();
    expect(r.response.overall.incidents.value).toBe(0);
    expect(r.noise.pagesWithAction.share.value).toBeNull();
    expect(r.actions).toEqual([]);
  });

  it.each([
    ['?week=2026-W00', 'week'],
    ['?week=2025-W53', 'week'],
    ['?week=banana', 'week'],
    ['?week=2026-W43&tz=Europe/Atlantis', 'tz'],
    ['?from=2026-11-02&to=2026-11-01', 'from'],
    ['?from=2025-01-01&to=2026-06-01', 'to'],
    ['?week=2026-W43&format=pdf', 'format'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const res = await app().api(`/reports/weekly${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });
});
