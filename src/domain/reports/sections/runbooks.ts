import type { Db } from '../../../db/client.js';
import { pinnedVersionUse, runbookChanges, type AlertnameIncidentCounts } from '../../../db/reports/report-queries.js';
import { figure, incidentsQuery, ratio, stepsQuery, type Span } from '../figure.js';
import { stepsOfVersion } from '../list-steps.js';
import type { RunbooksSection } from '../model.js';

export const RUNBOOK_DEFINITIONS = {
  coverage:
    'Coverage: incidents opened in the period that were linked to a runbook of the runbooks folder (at opening or by hand), ' +
    'over all incidents opened in the period. Alertnames without a runbook lists those with incidents that had none.',
  use: 'Use: incidents opened in the period on which a person ticked at least one step, and on which a person took a snapshot.',
  stepShare:
    'Share of steps ticked: of all the steps of the incidents opened in the period that have a runbook (each incident counts ' +
    'every step of the runbook version pinned to it), those ticked and not unticked since. Incidents without a runbook are left out.',
  changed:
    'Runbooks changed: runbooks with a version (a distinct file content) first seen in the period, with a diff from the version ' +
    'in force when the period began to the newest one.',
};

function encodePath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

/** `incidentTraits` is awaited after this section's own queries are sent: they do not wait for it. */
export async function buildRunbooks(
  db: Db,
  span: Span,
  incidentTraits: Promise<AlertnameIncidentCounts[]>,
): Promise<RunbooksSection> {
  const [changes, pinned, traits] = await Promise.all([
    runbookChanges(db, span),
    pinnedVersionUse(db, span),
    incidentTraits,
  ]);
  // A week pins a handful of versions, whatever its incidents.
  const stepCounts = await Promise.all(
    pinned.map(async (v) => v.incidents * (await stepsOfVersion(db, v.runbookId, v.sha)).length),
  );
  const stepsTotal = stepCounts.reduce((a, b) => a + b, 0);
  const ticked = pinned.reduce((n, v) => n + v.ticked, 0);
  const tickedQuery = stepsQuery(span, { checked: 'true' });
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
    stepsTicked: figure(ticked, 'count', tickedQuery),
    stepShare: figure(ratio(ticked, stepsTotal), 'share', tickedQuery, stepsQuery(span)),
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
