import type { Statistics } from './baseline-statistics.js';
import type { Threshold } from './extract-thresholds.js';
import type { RecordedIncident } from './recorded-incidents.js';
import { replayGrid, type Episode, type PresenceGrid } from './replay-alerting-rule.js';

/** A firing episode shorter than this is a flap. */
export const FLAP_SECONDS = 5 * 60;
export const DEFAULT_BUFFER = 0.25;
/** `for` values tried, smallest first, when looking for one that removes the flaps. */
const FOR_LADDER = [0, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200];

/**
 * The seeds' method: for a `>`/`>=` rule the baseline's p95 × (1 + buffer), for
 * a `<`/`<=` rule its p5 × (1 − buffer), rounded to two significant figures.
 * Null when the baseline has no samples or the rule compares for (in)equality.
 */
export function suggestThreshold(
  overall: Statistics,
  direction: Threshold['direction'],
  buffer = DEFAULT_BUFFER,
): number | null {
  const base = direction === 'above' ? overall.p95 : direction === 'below' ? overall.p5 : null;
  if (base === null) return null;
  const raw = direction === 'above' ? base * (1 + buffer) : base * (1 - buffer);
  return Number(raw.toPrecision(2));
}

export interface EpisodeSummary {
  firings: number;
  flaps: number;
  /** Seconds firing in the window, summed over series; an episode still open counts up to the window's end. */
  timeFiring: number;
}

export function summarizeEpisodes(episodes: Episode[], windowEnd: number): EpisodeSummary {
  let flaps = 0;
  let timeFiring = 0;
  for (const episode of episodes) {
    const length = (episode.resolvedAt ?? windowEnd) - episode.firedAt;
    timeFiring += length;
    if (episode.resolvedAt !== null && length < FLAP_SECONDS) flaps++;
  }
  return { firings: episodes.length, flaps, timeFiring };
}

/**
 * The smallest `for` (not below the current one) under which the replay has no
 * flaps. Presence does not depend on `for`, so this replays the same
 * evaluations again and again, without asking Prometheus anything more.
 */
export function smallestForWithoutFlaps(
  grid: PresenceGrid,
  rule: { forSeconds: number; keepFiringForSeconds: number },
): number | null {
  const candidates = [...new Set([rule.forSeconds, ...FOR_LADDER.filter((seconds) => seconds > rule.forSeconds)])];
  for (const forSeconds of candidates) {
    const { episodes } = replayGrid(grid, { ...rule, forSeconds });
    if (summarizeEpisodes(episodes, grid.end).flaps === 0) return forSeconds;
  }
  return null;
}

/** Acknowledged incidents during which the candidate would not have fired at all: tuning must not silence them. */
export function missedIncidents(
  incidents: RecordedIncident[],
  episodes: Episode[],
  windowEnd: number,
): RecordedIncident[] {
  return incidents.filter((incident) => {
    if (!incident.acknowledged) return false;
    const end = incident.end ?? windowEnd;
    return !episodes.some((episode) => episode.firedAt <= end && (episode.resolvedAt ?? windowEnd) >= incident.start);
  });
}
