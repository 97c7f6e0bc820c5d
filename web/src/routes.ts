/** The notebook's pages, by location. */
export type Route =
  | { page: 'incidents'; query: URLSearchParams }
  | { page: 'incident'; id: number; tune: boolean }
  | { page: 'runbooks' }
  | { page: 'runbook'; id: string; query: URLSearchParams }
  | { page: 'reports'; query: URLSearchParams }
  | { page: 'report-incidents'; query: URLSearchParams }
  | { page: 'report'; week: string; query: URLSearchParams }
  | { page: 'tuning' }
  | { page: 'tuning-decision'; id: number }
  | { page: 'not-found'; path: string };

/** The page for a location; runbook ids may contain slashes (runbooks in sub-folders). */
export function matchRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  if (pathname === '/') return { page: 'incidents', query };
  const incident = /^\/incidents\/([1-9]\d*)$/.exec(pathname);
  // `?tune=1` opens the tune panel: the link weekly reports use.
  if (incident) return { page: 'incident', id: Number(incident[1]), tune: query.get('tune') === '1' };
  if (pathname === '/runbooks') return { page: 'runbooks' };
  const runbook = /^\/runbooks\/(.+)$/.exec(pathname);
  if (runbook) return { page: 'runbook', id: decodeURIComponent(runbook[1]!), query };
  if (pathname === '/reports') return { page: 'reports', query };
  if (pathname === '/reports/incidents') return { page: 'report-incidents', query };
  // Any other name is handed to the report page: the API says what is wrong with a week, in its words.
  const report = /^\/reports\/([^/]+)$/.exec(pathname);
  if (report) return { page: 'report', week: decodeURIComponent(report[1]!), query };
  if (pathname === '/tuning') return { page: 'tuning' };
  const decision = /^\/tuning\/([1-9]\d*)$/.exec(pathname);
  if (decision) return { page: 'tuning-decision', id: Number(decision[1]) };
  return { page: 'not-found', path: pathname };
}
