import type { SnapshotData as StoredSnapshot } from '../../../src/domain/snapshots/record-snapshot.js';
import type { IncidentCell, Json } from '../api/types.js';
import { InstantTable } from '../cells/instant-table.js';
import { SeriesChart } from '../cells/series-chart.js';
import { stateFromSnapshot } from '../live/series-state.js';
import { pinnedThreshold } from './drawn-threshold.js';

/** `cell.snapshot` data: what was asked and what Prometheus answered then. */
export type SnapshotData = Json<StoredSnapshot>;

/** A snapshot drawn as it was taken: a static chart, or a table for an instant query. */
export function SnapshotView({
  data,
  cell,
  incidentId,
  marker,
}: {
  data: SnapshotData;
  cell: IncidentCell | undefined;
  incidentId: number;
  marker: number;
}) {
  const unit = cell?.unit ?? null;
  // The line the live chart drew when the snapshot was taken, even after a tuning decision moved the rule's.
  const { threshold, thresholdOperator } = pinnedThreshold(data, cell);
  let body;
  if ('series' in data) {
    const state = stateFromSnapshot(data);
    body =
      state.series.length === 0 ? (
        <p class="muted">No data in this window.</p>
      ) : data.resultType === 'matrix' ? (
        <SeriesChart
          state={state}
          decor={{ unit, threshold, thresholdOperator, marker, syncKey: `incident-${incidentId}` }}
        />
      ) : (
        <InstantTable series={state.series} unit={unit} threshold={threshold} />
      );
  } else {
    body = <p class="mono">{data.value[1]}</p>;
  }
  return (
    <figure class="snapshot">
      <figcaption>
        <strong>{cell?.title ?? data.cellId ?? 'Ad-hoc query'}</strong>
        <code class="snapshot-query">{data.query}</code>
      </figcaption>
      {body}
    </figure>
  );
}
