import { api } from '../api/client.js';
import { LoadError, Loading } from '../components/loading.js';
import { useResource } from '../hooks/use-resource.js';
import { weekHref } from './report-links.js';
import type { ReportWeekList } from './report-types.js';
import { StoreWeekButton } from './store-week.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** The calendar date of an instant in `tz` (a week's Monday where it starts), as 2026-10-19. */
const localDate = (instant: string, tz: string) => new Date(instant).toLocaleDateString('en-CA', { timeZone: tz });

/**
 * `/reports[?tz=…]`: the weeks a report can be opened for, newest first — the
 * recent ones (generated on opening) and every stored one (read as kept).
 */
export function ReportsPage({ query }: { query: URLSearchParams }) {
  useDocumentTitle('Reports');
  const askedTz = query.get('tz');
  const path = `/reports/weeks${askedTz ? `?tz=${encodeURIComponent(askedTz)}` : ''}`;
  const list = useResource(path, () => api.get<ReportWeekList>(path));
  if (list.error) return <LoadError error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="report weeks" />;
  const { tz, weeks } = list.data;
  return (
    <section aria-labelledby="reports-heading">
      <div class="page-heading">
        <h1 id="reports-heading">Weekly reports</h1>
        <p class="muted small">
          ISO weeks, Monday to Monday in {tz}. A stored report keeps its numbers after retention removed the rows.
        </p>
      </div>
      <div class="table-scroll">
        <table class="report-weeks">
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">From</th>
              <th scope="col">Stored</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={`${w.week}|${w.tz}`} data-week={w.week}>
                <td>
                  <a href={weekHref(w, { tz, askedTz })}>{w.week}</a>
                  {w.tz !== tz && <span class="muted small"> ({w.tz})</span>}
                  {w.inProgress && <span class="muted small"> · in progress</span>}
                  {w.history === 'part' && <span class="muted small"> · history begins</span>}
                </td>
                <td class="nowrap">{localDate(w.from, w.tz)}</td>
                <td>
                  {w.stored ? (
                    <a href={`/reports/${w.week}?tz=${encodeURIComponent(w.tz)}&stored=${w.stored.id}`}>
                      stored {w.stored.createdAt.slice(0, 10)} by {w.stored.createdBy}
                    </a>
                  ) : w.inProgress ? (
                    <span class="muted small">not yet</span>
                  ) : w.history === 'none' ? (
                    // Nothing was recorded that week: a stored report of it would keep zeros that mean "no data".
                    <span class="muted small">no history</span>
                  ) : (
                    <StoreWeekButton week={w.week} tz={w.tz} label="Store" onStored={list.reload} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
