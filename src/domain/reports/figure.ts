/**
 * One number of a report and the API query that recounts it. `recount` says
 * how the rows the query lists give the number back (walked by
 * test/integration/reports.recount.test.ts):
 * - `count`: the rows listed (all pages);
 * - `duplicates`: the sum of `deliveries - 1` over the notifications listed;
 * - `median` / `p90` / `mean` of `acknowledge` (acknowledgedAt − startedAt) or
 *   `resolve` (resolvedAt − startedAt) in seconds over the incidents listed;
 *   percentiles interpolate linearly between ranks (Postgres percentile_cont);
 * - `max-in-24h`: the most occurrences listed that started within 24 hours of each other;
 * - `short-episodes`: the occurrences listed that ended less than 5 minutes after they started;
 * - `flapping`: the fingerprints among the occurrences listed that flapped (≥ 3 starting within 24 hours,
 *   or ≥ 2 all ending less than 5 minutes after they started);
 * - `share`: the rows listed over the rows `denominator` lists;
 * - `versions`: the versions listed first seen in [from, to) of `period`.
 */
export type Recount =
  | 'count'
  | 'duplicates'
  | 'median:acknowledge'
  | 'p90:acknowledge'
  | 'mean:acknowledge'
  | 'median:resolve'
  | 'p90:resolve'
  | 'mean:resolve'
  | 'max-in-24h'
  | 'short-episodes'
  | 'flapping'
  | 'share'
  | 'versions';

export interface Figure {
  value: number | null;
  recount: Recount;
  /** An API path (under the service's origin) whose rows give `value` back. */
  query: string;
  /** For `share`: the query of the whole. */
  denominator?: string;
}

export interface Span {
  from: Date;
  to: Date;
}

type Params = Record<string, string | number | undefined>;

function path(base: string, params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return `${base}?${search.toString()}`;
}

const bounds = (span: Span) => ({ from: span.from.toISOString(), to: span.to.toISOString() });

/** Incidents opened in the span, narrowed by the list's filters. */
export function incidentsQuery(span: Span, filters: Params = {}): string {
  return path('/api/v1/incidents', { ...bounds(span), ...filters, limit: 200 });
}

/** Alert occurrences that started firing in the span. */
export function occurrencesQuery(span: Span, filters: Params = {}): string {
  return path('/api/v1/reports/evidence/occurrences', { ...bounds(span), ...filters, limit: 1000 });
}

/** Notifications first received in the span. */
export function notificationsQuery(span: Span): string {
  return path('/api/v1/reports/evidence/notifications', { ...bounds(span), limit: 1000 });
}

/** The steps of the runbooks pinned to the incidents opened in the span. */
export function stepsQuery(span: Span, filters: Params = {}): string {
  return path('/api/v1/reports/evidence/steps', { ...bounds(span), ...filters, limit: 200 });
}

export function figure(value: number | null, recount: Recount, query: string, denominator?: string): Figure {
  return denominator === undefined ? { value, recount, query } : { value, recount, query, denominator };
}

/** part / whole, or null when there is no whole. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
