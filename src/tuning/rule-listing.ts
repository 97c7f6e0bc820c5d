import type { Db } from '../db/client.js';
import { openIncidentsPerAlertname } from '../db/tuning/incident-counts.js';
import type { RunbookLinker } from '../domain/incidents/runbook-linker.js';
import type { KnownRule } from '../domain/tuning/known-rules.js';

export type ListedRule = KnownRule & { runbook: string | null; openIncidents: number };

/**
 * Rules as `GET /rules` lists them: with the runbook an alert of the rule
 * would be linked to (the catalogue's matching over its alertname, static
 * labels and annotations) and its firing incidents.
 */
export function ruleListing(deps: { db: Db; runbooks?: RunbookLinker }) {
  return async (rules: readonly KnownRule[]): Promise<ListedRule[]> => {
    const open = await openIncidentsPerAlertname(deps.db);
    return rules.map((rule) => {
      const link = deps.runbooks?.link({
        labels: { ...rule.labels, alertname: rule.alertname },
        annotations: rule.annotations,
      });
      return {
        ...rule,
        runbook: link?.kind === 'runbook' ? link.runbookId : null,
        openIncidents: open.get(rule.alertname) ?? 0,
      };
    });
  };
}
