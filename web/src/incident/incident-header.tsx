import type { IncidentDetail } from '../api/types.js';
import { LabelChips } from '../components/label-chips.js';
import { incidentState, SeverityBadge, StatusBadge } from '../components/status-badge.js';
import { TimeAgo } from '../components/time-ago.js';
import { commonLabels } from '../format/labels.js';
import { formatDuration } from '../format/time.js';
import { useNow } from '../hooks/use-now.js';
import { silenceUrl } from '../links/silence-url.js';
import { ExportMenu } from './export-menu.js';

export interface IncidentActions {
  acknowledge(): void;
  resolve(): void;
  busy: boolean;
  error: string | null;
}

/** Who, what, since when, and the two buttons that matter. */
export function IncidentHeader({
  detail,
  actions,
  onSilence,
}: {
  detail: IncidentDetail;
  actions: IncidentActions;
  /** With Alertmanagers configured: opens this page's silence form, which records the silence on the timeline. */
  onSilence?: () => void;
}) {
  const { incident, alerts } = detail;
  const now = useNow();
  const state = incidentState(incident);
  const end = incident.resolvedAt ? new Date(incident.resolvedAt) : now;
  const duration = formatDuration(end.getTime() - new Date(incident.startedAt).getTime());
  const graph = alerts.find((a) => a.generatorURL && /^https?:\/\//.test(a.generatorURL))?.generatorURL;
  // The labels every alert shares: a silence on them covers this incident and nothing wider.
  const silence = silenceUrl(
    incident.externalUrl,
    alerts.length ? commonLabels(alerts.map((a) => a.labels)) : incident.groupLabels,
  );

  return (
    <header class="incident-header">
      <div class="incident-title-row">
        <h1>{incident.title}</h1>
        <div class="badges">
          <StatusBadge state={state} />
          <SeverityBadge severity={incident.severity} />
        </div>
      </div>
      <dl class="facts">
        <div>
          <dt>Started</dt>
          <dd>
            <TimeAgo at={incident.startedAt} />
          </dd>
        </div>
        <div>
          <dt>{incident.resolvedAt ? 'Lasted' : 'Firing for'}</dt>
          <dd>{duration}</dd>
        </div>
        <div>
          <dt>Acknowledged</dt>
          <dd>
            {incident.acknowledgedAt ? (
              <>
                by <strong>{incident.acknowledgedBy}</strong> <TimeAgo at={incident.acknowledgedAt} show="age" />
              </>
            ) : (
              'not yet'
            )}
          </dd>
        </div>
        {incident.resolvedAt && (
          <div>
            <dt>Resolved</dt>
            <dd>
              {incident.resolvedBy ? (
                <>
                  by <strong>{incident.resolvedBy}</strong>{' '}
                </>
              ) : null}
              <TimeAgo at={incident.resolvedAt} show="age" />
            </dd>
          </div>
        )}
        <div>
          <dt>Alerts</dt>
          <dd>
            {incident.status === 'resolved' && incident.firingCount > 0
              ? // Resolved by hand while Alertmanager still fires: say where they still fire.
                `${incident.firingCount} of ${incident.alertCount} still firing in Alertmanager`
              : `${incident.firingCount} firing of ${incident.alertCount}`}
          </dd>
        </div>
      </dl>
      <LabelChips labels={incident.groupLabels} />
      <div class="actions">
        {state === 'firing' && (
          <button type="button" class="primary" disabled={actions.busy} onClick={actions.acknowledge}>
            Acknowledge <kbd>a</kbd>
          </button>
        )}
        {incident.status === 'firing' && (
          <button type="button" disabled={actions.busy} onClick={actions.resolve}>
            Resolve
          </button>
        )}
        {graph && (
          <a class="button" href={graph} target="_blank" rel="noopener noreferrer">
            Prometheus graph
          </a>
        )}
        {onSilence ? (
          <button type="button" onClick={onSilence}>
            Silence…
          </button>
        ) : (
          silence && (
            <a class="button" href={silence} target="_blank" rel="noopener noreferrer">
              Silence in Alertmanager
            </a>
          )
        )}
        <ExportMenu incidentId={incident.id} />
      </div>
      {actions.error && (
        <p class="inline-error" role="alert">
          {actions.error}
        </p>
      )}
    </header>
  );
}
