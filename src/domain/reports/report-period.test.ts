import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { daysOf, isoWeekOf, isoWeeksInYear, resolvePeriod, shiftIsoWeek, weekPeriod } from './report-period.js';

const now = new Date('2026-12-03T12:00:00Z');
const defaults = { tz: 'UTC', now };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.field;
    throw error;
  }
  return undefined;
}

describe('ISO weeks in a time zone', () => {
  it('a UTC week is Monday 00:00 to Monday 00:00', () => {
    const p = weekPeriod('2026-W48', 'UTC');
    expect(p.from.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('a Berlin week starts at local midnight (UTC+1 in winter)', () => {
    const p = weekPeriod('2026-W48', 'Europe/Berlin');
    expect(p.from.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-11-29T23:00:00.000Z');
  });

  it('the week Berlin leaves summer time is 169 hours long; the week it enters is 167', () => {
    // Summer time ends Sunday 25 October 2026 (week 43), starts Sunday 29 March 2026 (week 13).
    const autumn = weekPeriod('2026-W43', 'Europe/Berlin');
    expect(autumn.from.toISOString()).toBe('2026-10-18T22:00:00.000Z');
    expect(autumn.to.toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect((autumn.to.getTime() - autumn.from.getTime()) / 3_600_000).toBe(169);
    const spring = weekPeriod('2026-W13', 'Europe/Berlin');
    expect((spring.to.getTime() - spring.from.getTime()) / 3_600_000).toBe(167);
    const days = daysOf(autumn);
    expect(days).toHaveLength(7);
    expect(days.map((d) => (d.to.getTime() - d.from.getTime()) / 3_600_000)).toEqual([24, 24, 24, 24, 24, 24, 25]);
    expect(days[6]!.date).toBe('2026-10-25');
  });

  it('knows which years have 53 weeks', () => {
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(weekPeriod('2026-W53', 'UTC').from.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    // Week 1 of 2026 starts in 2025.
    expect(weekPeriod('2026-W01', 'UTC').from.toISOString()).toBe('2025-12-29T00:00:00.000Z');
  });

  it('finds the week of an instant in the zone, and steps across years', () => {
    // Sunday 22:30 UTC is already Monday in Berlin.
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'), 'Europe/Berlin')).toBe('2026-W49');
    expect(shiftIsoWeek('2026-W01', -1)).toBe('2025-W52');
    expect(shiftIsoWeek('2026-W53', 1)).toBe('2027-W01');
  });
});

describe('resolvePeriod', () => {
  it('defaults to the last complete week before now in the default zone', () => {
    const p = resolvePeriod({}, defaults);
    expect(p.week).toBe('2026-W48');
  });

  it('reads from/to as dates in the zone or as instants with an offset; to is exclusive', () => {
    const p = resolvePeriod({ from: '2026-11-01', to: '2026-12-01', tz: 'Europe/Berlin' }, defaults);
    expect(p.from.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    const q = resolvePeriod({ from: '2026-11-01T06:00:00Z', to: '2026-11-01T08:00:00+01:00' }, defaults);
    expect(q.to.toISOString()).toBe('2026-11-01T07:00:00.000Z');
    // The same instant twice is an empty range, refused like from after to.
    expect(
      fieldOf(() => resolvePeriod({ from: '2026-11-01T06:00:00Z', to: '2026-11-01T07:00:00+01:00' }, defaults)),
    ).toBe('from');
  });

  it.each([
    [{ week: '2026-W00' }, 'week'],
    [{ week: '2025-W53' }, 'week'],
    [{ week: 'banana' }, 'week'],
    [{ week: '2026-W48', from: '2026-11-01' }, 'week'],
    [{ tz: 'Mars/Olympus_Mons' }, 'tz'],
    [{ from: '2026-12-01', to: '2026-11-01' }, 'from'],
    [{ from: '2026-11-01', to: '2026-11-01' }, 'from'],
    [{ from: '2025-01-01', to: '2026-03-01' }, 'to'],
    [{ from: '2026-11-01' }, 'to'],
    [{ to: '2026-11-01' }, 'from'],
    [{ from: 'yesterday', to: '2026-11-01' }, 'from'],
    [{ from: '2026-02-30', to: '2026-03-05' }, 'from'],
    [{ from: '2026-11-01T06:00:00', to: '2026-11-02' }, 'from'],
  ])('%j is refused naming %s', (input, field) => {
    expect(fieldOf(() => resolvePeriod(input, defaults))).toBe(field);
  });

  it('accepts a full leap year', () => {
    expect(resolvePeriod({ from: '2028-01-01', to: '2029-01-01', tz: 'Europe/Berlin' }, defaults).kind).toBe('range');
  });
});
