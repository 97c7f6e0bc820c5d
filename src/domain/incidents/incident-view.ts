import { sql } from 'drizzle-orm';
import { incidents } from '../../db/schema/index.js';

/** The columns of an incident as the API shows it, counts included. */
export const incidentSummaryColumns = {
  id: incidents.id,
  status: incidents.status,
  title: incidents.title,
  severity: incidents.severity,
  alertname: incidents.alertname,
  groupLabels: incidents.groupLabels,
  startedAt: incidents.startedAt,
  resolvedAt: incidents.resolvedAt,
  resolvedBy: incidents.resolvedBy,
  acknowledgedAt: incidents.acknowledgedAt,
  acknowledgedBy: incidents.acknowledgedBy,
  previousIncidentId: incidents.previousIncidentId,
  externalUrl: incidents.externalUrl,
  // Written qualified by hand: drizzle leaves columns unqualified in single-table selects.
  alertCount: sql<number>`(select count(*)::int from alerts a where a.incident_id = incidents.id)`,
  firingCount: sql<number>`(select count(*)::int from alerts a where a.incident_id = incidents.id and a.status = 'firing')`,
};

export interface IncidentSummary {
  id: number;
  status: 'firing' | 'resolved';
  title: string;
  severity: string | null;
  alertname: string | null;
  groupLabels: Record<string, string>;
  startedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  previousIncidentId: number | null;
  externalUrl: string | null;
  alertCount: number;
  firingCount: number;
}
