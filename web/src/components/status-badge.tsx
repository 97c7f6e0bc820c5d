import type { IncidentSummary } from '../api/types.js';

export type IncidentState = 'firing' | 'acknowledged' | 'resolved';

/** The three states a responder cares about; acknowledgement only matters while firing. */
export function incidentState(incident: Pick<IncidentSummary, 'status' | 'acknowledgedAt'>): IncidentState {
  if (incident.status === 'resolved') return 'resolved';
  return incident.acknowledgedAt ? 'acknowledged' : 'firing';
}

export function StatusBadge({ state }: { state: IncidentState }) {
  return <span class={`badge badge-${state}`}>{state}</span>;
}

export function SeverityBadge({ severity }: { severity: string | null }) {
  if (!severity) return null;
  const known = ['critical', 'warning', 'info'].includes(severity) ? severity : 'other';
  return <span class={`badge severity severity-${known}`}>{severity}</span>;
}
