import { describe, expect, it } from 'vitest';
import { replayAlertingRule, type EvaluatedSeries } from './replay-alerting-rule.js';

const MINUTE = 60;

/** Presence from a picture: one character per evaluation minute, `#` = the expression returned the series. */
function series(picture: string, labels: Record<string, string> = { instance: 'a' }): EvaluatedSeries {
  return { labels, present: [...picture].flatMap((c, minute) => (c === '#' ? [minute * MINUTE] : [])) };
}

function replay(pictures: EvaluatedSeries[], options: { for?: number; keepFiringFor?: number; minutes?: number } = {}) {
  return replayAlertingRule({
    start: 0,
    end: (options.minutes ?? 20) * MINUTE,
    interval: MINUTE,
    forSeconds: (options.for ?? 0) * MINUTE,
    keepFiringForSeconds: (options.keepFiringFor ?? 0) * MINUTE,
    series: pictures,
  });
}

/** Episodes as [activeAt, firedAt, resolvedAt] in minutes. */
function minutes(result: ReturnType<typeof replay>) {
  return result.episodes.map((e) => [
    e.activeAt / MINUTE,
    e.firedAt / MINUTE,
    e.resolvedAt === null ? null : e.resolvedAt / MINUTE,
  ]);
}

describe('replayAlertingRule', () => {
  it('fires at the first evaluation with for: 0 and resolves at the first that misses', () => {
    expect(minutes(replay([series('..###...')]))).toEqual([[2, 2, 5]]);
  });

  it('goes pending first and fires once for has elapsed since it became active', () => {
    expect(minutes(replay([series('.######..')], { for: 3 }))).toEqual([[1, 4, 7]]);
  });

  it('drops a pending alert that stops matching before for, counting it as held back', () => {
    const result = replay([series('.##....###......')], { for: 3 });
    expect(result.episodes).toEqual([]);
    expect(result.heldBack).toBe(2);
  });

  it('keeps an alert firing for keep_firing_for from the first missed evaluation', () => {
    expect(minutes(replay([series('##......')], { keepFiringFor: 3 }))).toEqual([[0, 0, 5]]);
  });

  it('resets the keep_firing_for clock when the series matches again', () => {
    expect(minutes(replay([series('##..#.......')], { keepFiringFor: 3 }))).toEqual([[0, 0, 8]]);
  });

  it('counts a re-match after resolution as a new alert, for counted again', () => {
    expect(minutes(replay([series('###.####....')], { for: 1 }))).toEqual([
      [0, 1, 3],
      [4, 5, 8],
    ]);
  });

  it('leaves an alert still firing at the end unresolved', () => {
    expect(minutes(replay([series('...#####')], { minutes: 7 }))).toEqual([[3, 3, null]]);
  });

  it('keeps series apart by their labels, without the metric name', () => {
    const a = series('##..', { __name__: 'm', instance: 'a' });
    const b = series('.##.', { __name__: 'm', instance: 'b' });
    const result = replay([a, b], { minutes: 3 });
    expect(result.episodes.map((e) => [e.labels, e.firedAt])).toEqual([
      [{ instance: 'a' }, 0],
      [{ instance: 'b' }, 60],
    ]);
  });
});
