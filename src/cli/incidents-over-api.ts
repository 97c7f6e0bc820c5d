import type { RecordedIncident, RecordedIncidentSource } from '../domain/tuning/recorded-incidents.js';
import type { AlertbookApi } from './alertbook-api.js';

const PAGE = 200;
/** The list is newest first and an old incident may still be open: read this many pages at most. */
const MAX_PAGES = 50;

interface ListedIncident {
  id: number;
  startedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
}

/**
 * The incidents a server recorded for an alert, read from its incidents list
 * (`?alertname=`, opened before the window ends), for the CLI's backtests.
 * Unlike the service's own query, an incident whose group has several
 * alertnames is not found here: the list filters on the incident's alertname.
 */
export function incidentsOverApi(api: AlertbookApi): RecordedIncidentSource {
  return {
    async incidentsOf(alertname, window) {
      const found: RecordedIncident[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query: Record<string, string> = {
          alertname,
          to: new Date((window.end + 1) * 1000).toISOString(),
          limit: String(PAGE),
          ...(cursor ? { cursor } : {}),
        };
        const answer = await api.json<{ incidents: ListedIncident[]; nextCursor: string | null }>('/incidents', {
          query,
        });
        for (const incident of answer.incidents) {
          const start = Date.parse(incident.startedAt) / 1000;
          const end = incident.resolvedAt === null ? null : Date.parse(incident.resolvedAt) / 1000;
          if (end !== null && end < window.start) continue;
          found.push({ id: incident.id, start, end, acknowledged: incident.acknowledgedAt !== null });
        }
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      return found.sort((a, b) => a.start - b.start || a.id - b.id);
    },
  };
}
