import type { IncidentSummary } from '../api/types.js';
import { incidentState, type IncidentState } from '../components/status-badge.js';

const STATE_RANK: Record<IncidentState, number> = { firing: 0, acknowledged: 1, resolved: 2 };
const SEVERITY_RANK: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3 };

function severityRank(severity: string | null): number {
  return severity === null ? 5 : (SEVERITY_RANK[severity] ?? 4);
}

/**
 * The incidents page's order: firing, then acknowledged, then resolved; the
 * most severe first within a state, then the newest (resolved ones: the most
 * recently resolved).
 */
export function orderIncidents(incidents: readonly IncidentSummary[]): IncidentSummary[] {
  const newest = (i: IncidentSummary) => Date.parse(i.resolvedAt ?? i.startedAt);
  return [...incidents].sort((a, b) => {
    const stateA = incidentState(a);
    const stateB = incidentState(b);
    if (stateA !== stateB) return STATE_RANK[stateA] - STATE_RANK[stateB];
    if (stateA !== 'resolved' && a.severity !== b.severity) return severityRank(a.severity) - severityRank(b.severity);
    return newest(b) - newest(a) || b.id - a.id;
  });
}
