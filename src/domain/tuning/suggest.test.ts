import { describe, expect, it } from 'vitest';
import type { Statistics } from './baseline-statistics.js';
import { presenceGrid } from './replay-alerting-rule.js';
import { missedIncidents, smallestForWithoutFlaps, suggestThreshold, summarizeEpisodes } from './suggest.js';

const stats = (p5: number, p95: number) => ({ p5, p95 }) as Statistics;

describe('suggestThreshold', () => {
  it('is p95 × (1 + buffer) for rules firing above, rounded to two significant figures', () => {
    expect(suggestThreshold(stats(0, 0.0123), 'above')).toBe(0.015);
    expect(suggestThreshold(stats(0, 842), 'above', 0.3)).toBe(1100);
  });

  it('is p5 × (1 − buffer) for rules firing below', () => {
    expect(suggestThreshold(stats(0.8, 1), 'below')).toBe(0.6);
  });

  it('makes no suggestion for equality rules or an empty baseline', () => {
    expect(suggestThreshold(stats(1, 1), 'equal')).toBeNull();
    expect(suggestThreshold({ p5: null, p95: null } as Statistics, 'above')).toBeNull();
  });
});

describe('summarizeEpisodes', () => {
  it('counts firings, flaps (shorter than 5 minutes) and time firing up to the window end', () => {
    const episodes = [
      { labels: {}, activeAt: 0, firedAt: 0, resolvedAt: 120 },
      { labels: {}, activeAt: 600, firedAt: 600, resolvedAt: 1200 },
      { labels: {}, activeAt: 1700, firedAt: 1700, resolvedAt: null },
    ];
    expect(summarizeEpisodes(episodes, 1800)).toEqual({ firings: 3, flaps: 1, timeFiring: 120 + 600 + 100 });
  });
});

describe('smallestForWithoutFlaps', () => {
  const present = (minutes: number[]) => minutes.map((m) => m * 60);
  it('finds the smallest for under which no episode is a flap', () => {
    // Blips of 2 minutes, and one real 20-minute problem.
    const series = [
      { labels: {}, present: present([1, 2, 10, 11, 30, ...Array.from({ length: 20 }, (_, i) => 40 + i)]) },
    ];
    const input = { start: 0, end: 3600, interval: 60, forSeconds: 0, keepFiringForSeconds: 0, series };
    expect(smallestForWithoutFlaps(presenceGrid(input), input)).toBe(120);
  });
});

describe('missedIncidents', () => {
  it('lists acknowledged incidents no episode of the candidate overlaps', () => {
    const incidents = [
      { id: 1, start: 0, end: 600, acknowledged: true },
      { id: 2, start: 1000, end: 1500, acknowledged: true },
      { id: 3, start: 2000, end: 2100, acknowledged: false },
    ];
    const episodes = [{ labels: {}, activeAt: 300, firedAt: 400, resolvedAt: 900 }];
    expect(missedIncidents(incidents, episodes, 3600).map((i) => i.id)).toEqual([2]);
  });
});
