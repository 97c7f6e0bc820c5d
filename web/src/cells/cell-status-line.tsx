import { formatPromDuration } from '../format/time.js';
import type { SeriesState } from '../live/series-state.js';

/** Below a cell: how fresh the data is, its resolution, and whether series were cut off. */
export function CellStatusLine({ state, updatedAt }: { state: SeriesState | null; updatedAt: Date | null }) {
  if (!state || !updatedAt) return <p class="cell-status muted">&nbsp;</p>;
  const parts = [
    `updated ${updatedAt.toLocaleTimeString()}`,
    `step ${formatPromDuration(state.step)}`,
    `${state.series.length} series`,
  ];
  return (
    <p class="cell-status muted">
      {parts.join(' · ')}
      {state.truncated && (
        <strong class="warning-text">
          {' '}
          · showing {state.series.length} of {state.totalSeries} series
        </strong>
      )}
      {state.warnings.map((w) => (
        <span class="warning-text"> · {w}</span>
      ))}
    </p>
  );
}
