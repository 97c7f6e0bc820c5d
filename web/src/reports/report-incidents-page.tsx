import { api } from '../api/client.js';
import type { IncidentList, IncidentSummary } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { incidentState, SeverityBadge, StatusBadge } from '../components/status-badge.js';
import { useResource } from '../hooks/use-resource.js';
import { incidentsApiQuery } from './report-links.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** Every page of the list: a recount must see all the rows, not the first 200. */
async function allIncidents(query: URLSearchParams): Promise<IncidentSummary[]> {
  const rows: IncidentSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: IncidentList = await api.get<IncidentList>(incidentsApiQuery(query, cursor));
    rows.push(...page.incidents);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/**
 * `/reports/incidents?…`: the incidents behind a report figure, with the
 * figure's own filters (the incidents API's), so the count can be checked by eye.
 */
export function ReportIncidentsPage({ query }: { query: URLSearchParams }) {
  useDocumentTitle('Recount · Reports');
  const key = query.toString();
  const list = useResource(`report-incidents?${key}`, () => allIncidents(query));
  const filters = [...query.entries()].filter(([name]) => name !== 'limit' && name !== 'cursor');
  return (
    <section aria-labelledby="recount-heading">
      <div class="page-heading">
        <h1 id="recount-heading">Incidents behind a report figure</h1>
        <p class="muted small">
          {filters.map(([name, value]) => `${name}=${value}`).join(' · ')} ·{' '}
          <a href={`/api/v1${incidentsApiQuery(query, null)}`}>API</a>
        </p>
      </div>
      {list.error ? (
        <LoadError error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="incidents" />
      ) : (
        <>
          <p class="report-recount">
            <strong>{list.data.length}</strong> incident{list.data.length === 1 ? '' : 's'}
          </p>
          <ul class="report-recount-list">
            {list.data.map((incident) => (
              <li key={incident.id}>
                <a href={`/incidents/${incident.id}`}>#{incident.id}</a> {incident.title}{' '}
                <SeverityBadge severity={incident.severity} /> <StatusBadge state={incidentState(incident)} />{' '}
                <span class="muted small">{incident.startedAt}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
