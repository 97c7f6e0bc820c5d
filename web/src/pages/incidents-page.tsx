import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { IncidentList, IncidentSummary } from '../api/types.js';
import { LabelChips } from '../components/label-chips.js';
import { LoadError, Loading } from '../components/loading.js';
import { incidentState, SeverityBadge, StatusBadge } from '../components/status-badge.js';
import { TimeAgo } from '../components/time-ago.js';
import { formatDuration } from '../format/time.js';
import { useKeyboard } from '../hooks/use-keyboard.js';
import { useNow } from '../hooks/use-now.js';
import { useResource } from '../hooks/use-resource.js';
import { useIncidentWatch } from '../live/hooks.js';
import { navigate } from '../router.js';
import { filterFromQuery, filterToQuery, IncidentFilters, type IncidentFilter } from './incident-filters.js';
import { orderIncidents } from './incident-order.js';
import { FirstRun } from './first-run.js';
import { incidentsTabTitle, useDocumentTitle } from '../hooks/use-document-title.js';

/** "Recently resolved": the latest few, not the archive. */
const RESOLVED_SHOWN = 20;
const OPEN_SHOWN = 200;

async function loadIncidents(filter: IncidentFilter): Promise<IncidentSummary[]> {
  const base = new URLSearchParams();
  if (filter.alertname) base.set('alertname', filter.alertname);
  if (filter.q) base.set('q', filter.q);
  const page = (extra: Record<string, string>) =>
    api
      .get<IncidentList>(`/incidents?${new URLSearchParams({ ...Object.fromEntries(base), ...extra }).toString()}`)
      .then((r) => r.incidents);
  const wanted = {
    firing: filter.state === 'all' || filter.state === 'firing',
    acknowledged: filter.state === 'all' || filter.state === 'acknowledged',
    resolved: filter.state === 'all' || filter.state === 'resolved',
  };
  const lists = await Promise.all([
    wanted.firing ? page({ status: 'firing', acknowledged: 'false', limit: String(OPEN_SHOWN) }) : [],
    wanted.acknowledged ? page({ status: 'firing', acknowledged: 'true', limit: String(OPEN_SHOWN) }) : [],
    wanted.resolved ? page({ status: 'resolved', limit: String(RESOLVED_SHOWN) }) : [],
  ]);
  return orderIncidents(lists.flat());
}

export function IncidentsPage({ query }: { query: URLSearchParams }) {
  const filter = filterFromQuery(query);
  const filterKey = filterToQuery(filter);
  const list = useResource(`incidents${filterKey}`, () => loadIncidents(filter));
  const [selected, setSelected] = useState<number | null>(null);
  const [ackError, setAckError] = useState<string | null>(null);

  // Bursts of changes (a storm) become one reload, of the list as filtered by then.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reload = useRef(list.reload);
  reload.current = list.reload;
  useIncidentWatch('all', () => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      reload.current();
    }, 250);
  });
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  const all = list.data ?? [];
  useDocumentTitle(incidentsTabTitle(all));
  const shown = filter.severity ? all.filter((i) => i.severity === filter.severity) : all;

  const acknowledge = async (incident: IncidentSummary) => {
    setAckError(null);
    try {
      await api.post(`/incidents/${incident.id}/ack`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409))
        setAckError(`Incident ${incident.id}: ${(error as Error).message}`);
    }
    list.reload();
  };

  const move = (by: number) => {
    if (shown.length === 0) return;
    const at = shown.findIndex((i) => i.id === selected);
    const next = shown[Math.min(shown.length - 1, Math.max(0, at < 0 ? 0 : at + by))]!;
    setSelected(next.id);
    document.getElementById(`incident-${next.id}`)?.scrollIntoView({ block: 'nearest' });
  };
  const current = shown.find((i) => i.id === selected);
  useKeyboard({
    j: () => move(1),
    k: () => move(-1),
    o: () => current && navigate(`/incidents/${current.id}`),
    Enter: () => current && navigate(`/incidents/${current.id}`),
    a: () => current && incidentState(current) === 'firing' && void acknowledge(current),
  });

  return (
    <section class="incidents-page" aria-labelledby="incidents-heading">
      <div class="page-heading">
        <h1 id="incidents-heading">Incidents</h1>
        <p class="muted small keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>o</kbd> open · <kbd>a</kbd> acknowledge
        </p>
      </div>
      <IncidentFilters
        filter={filter}
        severities={[...new Set(all.map((i) => i.severity).filter((s): s is string => s !== null))]}
        alertnames={[...new Set(all.map((i) => i.alertname).filter((s): s is string => s !== null))]}
        onChange={(next) => navigate(`/${filterToQuery(next)}`, { replace: true })}
      />
      {ackError && (
        <p class="inline-error" role="alert">
          {ackError}
        </p>
      )}
      {list.error ? (
        <LoadError error={list.error} retry={list.reload} />
      ) : list.loading ? (
        <Loading label="incidents" />
      ) : shown.length === 0 ? (
        filterKey ? (
          <p class="empty">No incident matches these filters.</p>
        ) : (
          <FirstRun />
        )
      ) : (
        <ul class="incident-list">
          {shown.map((incident) => (
            <IncidentRow
              key={incident.id}
              incident={incident}
              selected={incident.id === selected}
              onAcknowledge={() => acknowledge(incident)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function IncidentRow({
  incident,
  selected,
  onAcknowledge,
}: {
  incident: IncidentSummary;
  selected: boolean;
  onAcknowledge(): void;
}) {
  const now = useNow();
  const state = incidentState(incident);
  const started = Date.parse(incident.startedAt);
  return (
    <li
      id={`incident-${incident.id}`}
      class={`incident-row state-${state}${selected ? ' selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
    >
      <div class="incident-row-main">
        <div class="badges">
          <StatusBadge state={state} />
          <SeverityBadge severity={incident.severity} />
        </div>
        <a class="incident-link" href={`/incidents/${incident.id}`}>
          {incident.title}
        </a>
        <LabelChips labels={incident.groupLabels} omit={['alertname']} />
      </div>
      <div class="incident-row-meta small">
        {incident.resolvedAt ? (
          <span>
            lasted {formatDuration(Date.parse(incident.resolvedAt) - started)} · resolved{' '}
            <TimeAgo at={incident.resolvedAt} show="age" />
          </span>
        ) : (
          <span>
            firing for <strong>{formatDuration(now.getTime() - started)}</strong> · since{' '}
            <TimeAgo at={incident.startedAt} show="clock" />
          </span>
        )}
        <span>
          {incident.firingCount}/{incident.alertCount} alerts firing
        </span>
        {incident.acknowledgedBy && <span>ack: {incident.acknowledgedBy}</span>}
        {state === 'firing' && (
          <button type="button" class="small-button" onClick={onAcknowledge}>
            Acknowledge
          </button>
        )}
      </div>
    </li>
  );
}
