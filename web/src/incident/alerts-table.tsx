import { useState } from 'preact/hooks';
import type { Alert } from '../api/types.js';
import { LabelChips } from '../components/label-chips.js';
import { TimeAgo } from '../components/time-ago.js';
import { commonLabels } from '../format/labels.js';

/** Enough rows to see the shape of a storm without rendering all of it up front. */
const FIRST_ROWS = 25;

export function AlertsTable({ alerts }: { alerts: Alert[] }) {
  const [showAll, setShowAll] = useState(false);
  // Labels shared by every alert are in the header already; each row shows what sets it apart.
  const shared = Object.keys(alerts.length > 1 ? commonLabels(alerts.map((a) => a.labels)) : {});
  const firingFirst = [...alerts].sort((a, b) => Number(b.status === 'firing') - Number(a.status === 'firing'));
  const rows = showAll ? firingFirst : firingFirst.slice(0, FIRST_ROWS);
  return (
    <section class="panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts ({alerts.length})</h2>
      <div class="table-scroll">
        <table class="alerts-table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Labels</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((alert) => (
              <tr key={`${alert.fingerprint}:${alert.startsAt}`}>
                <td>
                  <span class={`badge badge-${alert.status}`}>{alert.status}</span>
                </td>
                <td>
                  <LabelChips labels={alert.labels} omit={shared} />
                  {alert.annotations.summary && <p class="muted small">{alert.annotations.summary}</p>}
                </td>
                <td class="nowrap">
                  <TimeAgo at={alert.startsAt} />
                </td>
                <td class="nowrap">{alert.endsAt ? <TimeAgo at={alert.endsAt} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length < alerts.length && (
        <button type="button" class="link-button" onClick={() => setShowAll(true)}>
          Show all {alerts.length} alerts
        </button>
      )}
    </section>
  );
}
