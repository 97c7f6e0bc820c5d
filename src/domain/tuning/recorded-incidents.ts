import type { Period } from './baseline-statistics.js';

/** An incident Alertbook recorded for an alert, as tuning sees it: when it was open and whether anyone acknowledged it. */
export interface RecordedIncident extends Period {
  id: number;
  acknowledged: boolean;
}

/** Where the incidents of an alert come from: the database in the service, the API in the CLI. */
export interface RecordedIncidentSource {
  /** Incidents of `alertname` open at some time in [start, end] (unix seconds), oldest first. */
  incidentsOf(alertname: string, window: { start: number; end: number }): Promise<RecordedIncident[]>;
}

export const NO_RECORDED_INCIDENTS: RecordedIncidentSource = { incidentsOf: async () => [] };

export interface IncidentCounts {
  count: number;
  acknowledged: number;
  /** Resolved without anyone acknowledging them: the alert's noise. */
  noise: number;
}

export function countIncidents(incidents: readonly RecordedIncident[]): IncidentCounts {
  return {
    count: incidents.length,
    acknowledged: incidents.filter((incident) => incident.acknowledged).length,
    noise: incidents.filter((incident) => !incident.acknowledged && incident.end !== null).length,
  };
}
