import type { Db } from '../../../db/client.js';
import { runbookChanges, type AlertnameIncidentCounts } from '../../../db/reports/report-queries.js';
import { figure, incidentsQuery, ratio, type Span } from '../figure.js';
import type { RunbooksSection } from '../model.js';

export const RUNBOOK_DEFINITIONS = {
  coverage:
    'Coverage: incidents opened in the period that were linked to a runbook of the runbooks folder (at opening or by hand), ' +
    'over all incidents opened in the period. Alertnames without a runbook lists those with incidents that had none.',
  use: 'Use: incidents opened in the period on which a person ticked at least one step, and on which a person took a snapshot.',
  changed:
    'Runbooks changed: runbooks with a version (a distinct file content) first seen in the period, with a diff from the version ' +
    'in force when the period began to the newest one.',
};

function encodePath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

export async function buildRunbooks(db: Db, span: Span, traits: AlertnameIncidentCounts[]): Promise<RunbooksSection> {
  const changes = await runbookChanges(db, span);
  const total = traits.reduce((n, t) => n + t.incidents, 0);
  const withRunbook = traits.reduce((n, t) => n + t.withRunbook, 0);
  const withRunbookQuery = incidentsQuery(span, { has_runbook: 'true' });
  return {
    withRunbook: figure(withRunbook, 'count', withRunbookQuery),
    coverage: figure(ratio(withRunbook, total), 'share', withRunbookQuery, incidentsQuery(span)),
    alertnamesWithoutRunbook: traits
      .filter((t) => t.incidents > t.withRunbook)
      .sort(
        (a, b) => b.incidents - b.withRunbook - (a.incidents - a.withRunbook) || a.alertname.localeCompare(b.alertname),
      )
      .map((t) => ({
        alertname: t.alertname,
        incidents: figure(
          t.incidents - t.withRunbook,
          'count',
          incidentsQuery(span, { has_runbook: 'false', alertname: t.alertname }),
        ),
      })),
    incidentsWithSteps: figure(
      traits.reduce((n, t) => n + t.withSteps, 0),
      'count',
      incidentsQuery(span, { event: 'step.checked' }),
    ),
    incidentsWithSnapshots: figure(
      traits.reduce((n, t) => n + t.withSnapshots, 0),
      'count',
      incidentsQuery(span, { event: 'cell.snapshot' }),
    ),
    changed: changes.map((c) => ({
      runbookId: c.runbookId,
      title: c.title,
      versions: figure(c.versions, 'versions', `/api/v1/runbooks/${encodePath(c.runbookId)}/versions`),
      before: c.before,
      after: c.after,
      diff: c.before ? `/api/v1/runbooks/${encodePath(c.runbookId)}/diff?from=${c.before}&to=${c.after}` : null,
    })),
  };
}
