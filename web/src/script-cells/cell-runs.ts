import type { CellRunData as StoredCellRunData } from '../../../src/script-cells/run-incident-cell.js';
import type { Json, TimelineEvent } from '../api/types.js';
import type { SeriesState } from '../live/series-state.js';

/** `cell.run` data as the notebook receives it. */
export type CellRunData = Json<StoredCellRunData>;
export type RecordedOutput = CellRunData['outputs'][number];
export type ChartOutput = Extract<RecordedOutput, { kind: 'chart' }>;

export interface CellRun {
  id: number;
  at: string;
  actor: string;
  data: CellRunData;
}

/** The runs of one script cell on an incident's timeline (oldest first there), newest first. */
export function cellRuns(timeline: readonly TimelineEvent[], cellId: string): CellRun[] {
  const runs: CellRun[] = [];
  for (const event of timeline) {
    const data = event.data as unknown as CellRunData;
    if (event.type === 'cell.run' && data.cellId === cellId)
      runs.push({ id: event.id, at: event.at, actor: event.actor, data });
  }
  return runs.reverse();
}

type ChartSample = [number, number | string | null];

/**
 * A `show.chart` output as a static chart's state, its window the span of its points. A value that
 * JSON could not carry (NaN, ±Inf arrive as null) or that is not a number is a gap.
 */
export function chartState(output: ChartOutput): SeriesState {
  const series = (output.series as { metric?: Record<string, string>; values?: ChartSample[] }[]).map((s, i) => ({
    id: i + 1,
    metric: s.metric ?? {},
    points: (s.values ?? []).map(([t, v]): [number, number] => [Number(t), typeof v === 'number' ? v : Number.NaN]),
  }));
  const times = series.flatMap((s) => s.points.map((p) => p[0]));
  return {
    from: times.length ? Math.min(...times) : 0,
    to: times.length ? Math.max(...times) : 0,
    step: 0,
    series,
    truncated: false,
    totalSeries: series.length,
    warnings: [],
  };
}
