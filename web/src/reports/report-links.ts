const INCIDENTS_API = '/api/v1/incidents?';

/**
 * Where a report's link leads in the notebook: an incidents query (a figure's
 * recount, a next step) opens the notebook's list of exactly those incidents
 * (same filters, every page); other API queries (occurrences, notifications)
 * stay the API's, and notebook links (`/incidents/4?tune=1`) stay as they are.
 */
export function notebookHref(link: string): string {
  if (link.startsWith(INCIDENTS_API)) return `/reports/incidents?${link.slice(INCIDENTS_API.length)}`;
  return link;
}

/** The incidents API query behind a notebook recount page (`/reports/incidents?…`), without paging. */
export function incidentsApiQuery(notebookQuery: URLSearchParams, cursor: string | null): string {
  const query = new URLSearchParams(notebookQuery);
  query.delete('cursor');
  if (cursor) query.set('cursor', cursor);
  return `/incidents?${query.toString()}`;
}

/** The weekly report's API path (under /api/v1) for a week named in the notebook's URL, keeping its `tz`. */
export function weeklyReportPath(
  week: string,
  pageQuery: URLSearchParams,
  format: 'json' | 'html' | 'markdown',
): string {
  const query = new URLSearchParams({ week });
  const tz = pageQuery.get('tz');
  if (tz) query.set('tz', tz);
  query.set('format', format);
  return `/reports/weekly?${query.toString()}`;
}

/** A stored report's API path (under /api/v1). */
export function storedReportPath(id: string, format: 'json' | 'html' | 'markdown'): string {
  return `/reports/stored/${encodeURIComponent(id)}?format=${format}`;
}

/**
 * A week's notebook page. The zone goes into the link when the list was asked
 * for one or the week was stored in another: otherwise the server's default applies.
 */
export function weekHref(week: { week: string; tz: string }, list: { tz: string; askedTz: string | null }): string {
  const tz = list.askedTz !== null || week.tz !== list.tz ? `?tz=${encodeURIComponent(week.tz)}` : '';
  return `/reports/${week.week}${tz}`;
}
