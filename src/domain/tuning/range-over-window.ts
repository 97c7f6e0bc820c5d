import type { QueryClient } from '../../prometheus/client.js';
import type { Series } from '../../prometheus/types.js';

/** Prometheus refuses a range query of more than 11,000 points per series; chunks stay well under. */
export const POINTS_PER_CHUNK = 10_000;
const DEFAULT_CONCURRENCY = 4;

export interface Window {
  /** Unix seconds; `end` inclusive, as the range query API has it. */
  start: number;
  end: number;
  step: number;
}

export interface WindowResult {
  series: Series[];
  /** True when a chunk had more series than the client keeps: the result is then incomplete. */
  truncated: boolean;
}

/**
 * A range query over a window of any length: split into chunks of at most
 * POINTS_PER_CHUNK evaluation times, each aligned on `start + k·step` (so the
 * chunks evaluate at exactly the times one long query would), run a few at a
 * time, and joined back per series.
 */
export async function rangeOverWindow(
  client: QueryClient,
  query: string,
  window: Window,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<WindowResult> {
  const chunks: Window[] = [];
  const chunkSpan = POINTS_PER_CHUNK * window.step;
  for (let start = window.start; start <= window.end; start += chunkSpan) {
    chunks.push({ start, end: Math.min(window.end, start + chunkSpan - window.step), step: window.step });
  }

  const results: Series[][] = new Array(chunks.length);
  let truncated = false;
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const index = next++;
      const chunk = chunks[index]!;
      const result = await client.range({ query, ...chunk, signal: options.signal });
      if (result.resultType !== 'matrix' && result.resultType !== 'vector') {
        throw new TypeError(`expected a range vector from "${query}", got a ${result.resultType}`);
      }
      truncated ||= result.truncated;
      results[index] = result.series;
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, chunks.length) }, worker),
  );

  const joined = new Map<string, Series>();
  for (const chunkSeries of results) {
    for (const series of chunkSeries) {
      const key = labelsKey(series.metric);
      const existing = joined.get(key);
      // The chunks' arrays are ours: the first one of each series grows, nothing is copied.
      if (!existing) joined.set(key, series);
      else for (const sample of series.values) existing.values.push(sample);
    }
  }
  return { series: [...joined.values()], truncated };
}

export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name]]),
  );
}
