import { useEffect } from 'preact/hooks';

/**
 * What the browser tab says: the page's own words first (a tab shows only its first few), then the app's
 * name, so that an incident, its runbook and the list open side by side can be told apart, and a firing
 * incident says so in its tab.
 */
export function documentTitle(page: string | null): string {
  return page ? `${page} · Alertbook` : 'Alertbook';
}

/** Sets the tab's title while the page shows (null: the app's name, while the page loads). */
export function useDocumentTitle(page: string | null): void {
  useEffect(() => {
    document.title = documentTitle(page);
  }, [page]);
}

/** An incident's tab: its state first (firing, acknowledged, resolved), then its title. */
export function incidentTabTitle(incident: {
  status: 'firing' | 'resolved';
  acknowledgedAt: string | null;
  title: string;
}): string {
  const state = incident.status === 'resolved' ? 'Resolved' : incident.acknowledgedAt ? 'Acknowledged' : 'Firing';
  return `${state}: ${incident.title}`;
}

/** The incident list's tab: how many listed incidents fire unacknowledged (the list's "Firing"), when any does. */
export function incidentsTabTitle(
  incidents: readonly { status: 'firing' | 'resolved'; acknowledgedAt: string | null }[],
): string {
  const firing = incidents.filter((incident) => incident.status === 'firing' && !incident.acknowledgedAt).length;
  return firing > 0 ? `(${firing} firing) Incidents` : 'Incidents';
}
