import type { Episode } from './types.js';

export interface FiringPeriod {
  start: number;
  end: number;
}

/**
 * The periods when at least one alert of the rule was firing: every series'
 * episodes merged (a shaded band per period, not per series), an episode still
 * open counting up to the window's end, everything clipped to the window.
 */
export function firingPeriods(episodes: readonly Episode[], window: { start: number; end: number }): FiringPeriod[] {
  const spans = episodes
    .map((episode) => ({
      start: Math.max(episode.firedAt, window.start),
      end: Math.min(episode.resolvedAt ?? window.end, window.end),
    }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start);
  const merged: FiringPeriod[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}
