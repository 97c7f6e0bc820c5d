/** The notebook's pages, by location. */
export type Route =
  | { page: 'incidents'; query: URLSearchParams }
  | { page: 'incident'; id: number }
  | { page: 'runbooks' }
  | { page: 'runbook'; id: string; query: URLSearchParams }
  | { page: 'reports'; query: URLSearchParams }
  | { page: 'report-incidents'; query: URLSearchParams }
  | { page: 'report'; week: string; query: URLSearchParams }
  | { page: 'not-found'; path: string };

/** The page for a location; runbook ids may contain slashes (runbooks in sub-folders). */
export function matchRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  if (pathname === '/') return { page: 'incidents', query };
  const incident = /^\/incidents\/([1-9]\d*)$/.exec(pathname);
  if (incident) return { page: 'incident', id: Number(incident[1]) };
  if (pathname === '/runbooks') return { page: 'runbooks' };
  const runbook = /^\/runbooks\/(.+)$/.exec(pathname);
  if (runbook) return { page: 'runbook', id: decodeURIComponent(runbook[1]!), query };
  if (pathname === '/reports') return { page: 'reports', query };
  if (pathname === '/reports/incidents') return { page: 'report-incidents', query };
  // Any other name is handed to the report page: the API says what is wrong with a week, in its words.
  const report = /^\/reports\/([^/]+)$/.exec(pathname);
  if (report) return { page: 'report', week: decodeURIComponent(report[1]!), query };
  return { page: 'not-found', path: pathname };
}
