import { api } from '../api/client.js';
import { LoadError, Loading } from '../components/loading.js';
import { TimeAgo } from '../components/time-ago.js';
import { useResource } from '../hooks/use-resource.js';
import { decisionsByStatus, describeChanges } from './decision-view.js';
import type { TuningDecision } from './types.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** `/tuning`: every threshold decision, by where it stands. */
export function TuningPage() {
  useDocumentTitle('Tuning');
  const list = useResource('tuning-decisions', () => api.get<{ decisions: TuningDecision[] }>('/tuning/decisions'));
  if (list.error) return <LoadError error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="tuning decisions" />;
  const { decisions } = list.data;
  return (
    <section aria-labelledby="tuning-heading">
      <div class="page-heading">
        <h1 id="tuning-heading">Tuning decisions</h1>
        <p class="muted small">
          {decisions.length} recorded. A decision is applied when a loaded rule file matches it, and verified once its
          verification window has passed.
        </p>
      </div>
      {decisions.length === 0 && <p class="empty">No decisions yet: open an incident and use “Tune this alert”.</p>}
      {decisionsByStatus(decisions)
        .filter((section) => section.decisions.length > 0)
        .map((section) => (
          <section class="panel tuning-section" key={section.title} aria-label={section.title}>
            <h2>
              {section.title} <span class="muted small">{section.decisions.length}</span>
            </h2>
            <ul class="decision-list">
              {section.decisions.map((decision) => (
                <li key={decision.id} id={`decision-${decision.id}`} class={`decision-row status-${decision.status}`}>
                  <a href={`/tuning/${decision.id}`}>
                    #{decision.id} {decision.alertname}
                  </a>{' '}
                  <span class={`badge decision-status-${decision.status}`}>{decision.status}</span>
                  <div class="small">{describeChanges(decision)}</div>
                  <div class="muted small">
                    {decision.reason} — {decision.actor}, <TimeAgo at={decision.createdAt} show="age" />
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </section>
  );
}
