import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { alerts, incidents, incidentSteps, runbooks } from '../../db/schema/index.js';
import { NotFoundError } from '../errors.js';
import { getRunbookVersion } from '../runbooks/read-runbooks.js';
import { runbookVersionView } from '../runbooks/runbook-view.js';
import { renderQuery, type TemplateVars } from '../runbooks/template-query.js';
import type { KnownRule } from '../tuning/known-rules.js';
import { thresholdMovesAppliedAfter } from '../../db/tuning/decision-queries.js';
import { cellRuleThreshold, firingRules } from './cell-rule-threshold.js';
import { thresholdAtIncidentStart } from './threshold-at-start.js';

/** The incident's pinned runbook, or why there is none. */
export async function loadPinnedRunbook(db: Db, incidentId: number) {
  const [incident] = await db
    .select({
      runbookId: incidents.runbookId,
      runbookSha: incidents.runbookSha,
      runbookExternalUrl: incidents.runbookExternalUrl,
      externalUrl: incidents.externalUrl,
      startedAt: incidents.startedAt,
    })
    .from(incidents)
    .where(eq(incidents.id, incidentId));
  if (!incident) throw new NotFoundError(`incident ${incidentId}`);
  const version =
    incident.runbookId && incident.runbookSha
      ? runbookVersionView(
          await getRunbookVersion({ ctx: { db }, input: { id: incident.runbookId, sha: incident.runbookSha } }),
        )
      : null;
  return { incident, version };
}

/**
 * The variables a cell is templated with: the labels and annotations of the
 * incident's first alert (labels every alert of the group shares are the same
 * in all of them), and Alertmanager's external URL.
 */
export async function templateVars(db: Db, incidentId: number, externalURL: string | null): Promise<TemplateVars> {
  const [first] = await db
    .select({ labels: alerts.labels, annotations: alerts.annotations })
    .from(alerts)
    .where(eq(alerts.incidentId, incidentId))
    .orderBy(asc(alerts.startsAt), asc(alerts.id))
    .limit(1);
  return { labels: first?.labels ?? {}, annotations: first?.annotations ?? {}, externalURL: externalURL ?? '' };
}

/**
 * The pinned runbook version rendered for this incident: HTML, cells with
 * their queries templated from the incident's labels (and the firing rule's
 * threshold where a cell charts the rule's own expression or names another
 * severity's threshold, as it was when the incident started), steps with who
 * ticked them, and whether a newer version of the runbook exists.
 */
export async function getIncidentRunbook({
  ctx,
  input,
}: {
  ctx: { db: Db; rules?: { list(): readonly KnownRule[] } };
  input: { id: number };
}) {
  const { incident, version } = await loadPinnedRunbook(ctx.db, input.id);
  if (!version) return { runbook: null, externalUrl: incident.runbookExternalUrl };

  const [vars, ticks, [current]] = await Promise.all([
    templateVars(ctx.db, input.id, incident.externalUrl),
    ctx.db.select().from(incidentSteps).where(eq(incidentSteps.incidentId, input.id)),
    ctx.db
      .select({ sha: runbooks.currentSha, removed: runbooks.removed })
      .from(runbooks)
      .where(eq(runbooks.id, version.id)),
  ]);
  const tickByStep = new Map(ticks.map((t) => [t.stepId, t]));
  const known = ctx.rules?.list() ?? [];
  const rules = {
    firing: firingRules(known, vars.labels),
    ofAlertname: known.filter((rule) => rule.alertname === vars.labels.alertname),
  };
  const rendered = version.cells.map((cell) => {
    try {
      const renderedQuery = renderQuery(cell.query, vars);
      return {
        ...cell,
        renderedQuery,
        error: null,
        ruleThreshold: cellRuleThreshold({ query: renderedQuery, threshold: cell.threshold }, rules),
      };
    } catch (error) {
      return { ...cell, renderedQuery: null, error: { message: (error as Error).message }, ruleThreshold: null };
    }
  });
  const alertname = vars.labels.alertname;
  const movedSince =
    alertname !== undefined && rendered.some((cell) => cell.ruleThreshold)
      ? await thresholdMovesAppliedAfter(ctx.db, alertname, incident.startedAt)
      : [];
  const cells = rendered.map(({ ruleThreshold, ...cell }) => ({
    ...cell,
    ruleThreshold: ruleThreshold && thresholdAtIncidentStart(ruleThreshold, movedSince),
  }));
  const steps = version.steps.map((step) => {
    const tick = tickByStep.get(step.id);
    return {
      ...step,
      checked: tick?.checked ?? false,
      checkedBy: tick?.checked ? tick.actor : null,
      checkedAt: tick?.checked ? tick.at : null,
    };
  });
  const newerVersion = current && !current.removed && current.sha !== version.version.sha ? { sha: current.sha } : null;
  return { runbook: { ...version, cells, steps }, newerVersion, externalUrl: incident.runbookExternalUrl };
}
