import type { QueryClient } from '../../prometheus/client.js';
import type { ColumnSeries } from '../../prometheus/decode-range-columns.js';

/** Prometheus refuses a range query of more than 11,000 points per series; chunks stay well under. */
export const POINTS_PER_CHUNK = 10_000;
/**
 * Samples one answer should hold (~3 MB of JSON): chunks are sized from the
 * samples per point the answers so far had, so 100 dense series are asked
 * ~1,000 points at a time and a sparse alert expression 10,000 at a time.
 */
export const SAMPLES_PER_CHUNK = 100_000;
/** The first chunks, asked before any answer says how dense the result is. */
export const FIRST_CHUNK_POINTS = 1_000;
/**
 * Chunks asked at once, hence answers alive at once (each decoded into typed
 * columns and its text let go as it arrives): two keep one chunk decoding
 * while the next is on its way.
 */
const DEFAULT_CONCURRENCY = 2;

export interface Window {
  /** Unix seconds; `end` inclusive, as the range query API has it. */
  start: number;
  end: number;
  step: number;
}

export interface WindowResult {
  series: ColumnSeries[];
  /** True when a chunk had more series than the client keeps: the result is then incomplete. */
  truncated: boolean;
}

/**
 * A range query over a window of any length: split into chunks of at most
 * POINTS_PER_CHUNK evaluation times (about SAMPLES_PER_CHUNK samples each),
 * each aligned on `start + k·step` (so the chunks evaluate at exactly the times
 * one long query would), run a few at a time, each answer decoded into typed
 * columns as it arrives, and joined back per series.
 */
export async function rangeOverWindow(
  client: QueryClient,
  query: string,
  window: Window,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<WindowResult> {
  const answers: { start: number; series: ColumnSeries[] }[] = [];
  let truncated = false;
  let points = FIRST_CHUNK_POINTS;
  let next = window.start;
  const worker = async () => {
    while (next <= window.end) {
      const start = next;
      const end = Math.min(window.end, start + (points - 1) * window.step);
      next = end + window.step;
      const result = await client.rangeColumns({ query, start, end, step: window.step, signal: options.signal });
      truncated ||= result.truncated;
      answers.push({ start, series: result.series });
      let samples = 0;
      for (const series of result.series) samples += series.times.length;
      const perPoint = samples / ((end - start) / window.step + 1);
      points = Math.max(1, Math.min(POINTS_PER_CHUNK, Math.floor(SAMPLES_PER_CHUNK / Math.max(perPoint, 1))));
    }
  };
  const workers = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(Array.from({ length: workers }, worker));

  const pieces = new Map<string, ColumnSeries[]>();
  for (const answer of answers.sort((a, b) => a.start - b.start)) {
    for (const series of answer.series) {
      const key = labelsKey(series.metric);
      const list = pieces.get(key);
      if (list) list.push(series);
      else pieces.set(key, [series]);
    }
  }
  answers.length = 0;
  return { series: [...pieces.values()].map(joined), truncated };
}

/** One series' chunks, in window order, as one pair of columns. */
function joined(pieces: ColumnSeries[]): ColumnSeries {
  if (pieces.length === 1) return pieces[0]!;
  const length = pieces.reduce((sum, piece) => sum + piece.times.length, 0);
  const times = new Float64Array(length);
  const values = new Float64Array(length);
  let offset = 0;
  for (const piece of pieces) {
    times.set(piece.times, offset);
    values.set(piece.values, offset);
    offset += piece.times.length;
  }
  return { metric: pieces[0]!.metric, times, values };
}

export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name]]),
  );
}
