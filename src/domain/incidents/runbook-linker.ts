/**
 * How intake asks which runbook an alert is served by. Implemented by the
 * runbook catalogue (domain/runbooks); intake works without one ("no runbook").
 */
export type RunbookLink = { kind: 'runbook'; runbookId: string; sha: string } | { kind: 'external'; url: string };

export interface RunbookLinker {
  link(alert: { labels: Record<string, string>; annotations: Record<string, string> }): RunbookLink | null;
}
