import { seriesNames } from '../format/labels.js';
import { formatValue } from '../format/value.js';
import type { LiveSeries } from '../live/series-state.js';
import { latestValues } from './chart-data.js';

/** An instant cell: each series' newest value, highest first, the threshold crossing marked. */
export function InstantTable({
  series,
  unit,
  threshold,
}: {
  series: LiveSeries[];
  unit: string | null;
  threshold: number | null;
}) {
  const rows = latestValues(series);
  const names = seriesNames(rows.map((r) => r.series.metric));
  const order = rows.map((_, i) => i).sort((a, b) => (rows[b]!.value || 0) - (rows[a]!.value || 0));
  return (
    <div class="table-scroll">
      <table class="instant-table">
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col" class="num">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {order.map((i) => {
            const { value } = rows[i]!;
            const over = threshold !== null && value > threshold;
            return (
              <tr key={rows[i]!.series.id} class={over ? 'over-threshold' : undefined}>
                <td class="mono">{names[i]}</td>
                <td class="num mono">{formatValue(value, unit)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
