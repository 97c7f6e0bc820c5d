/**
 * How much of a period Alertbook's history covers (weekly reports, a tuning
 * decision's verification). Its history begins with the first alert it stored:
 * before that nothing was recorded, so a count of zero there means "no data",
 * not "a quiet week" (the weeks a fresh install lists, the trend's earlier bars,
 * the week the service was installed in).
 * - `all`: the period starts at or after the first alert;
 * - `part`: the first alert arrived during the period;
 * - `none`: the period ended before it, or no alert was ever stored.
 */
export type HistoryCoverage = 'all' | 'part' | 'none';

export function historyCoverage(span: { from: Date; to: Date }, historyFrom: Date | null): HistoryCoverage {
  if (historyFrom === null || span.to <= historyFrom) return 'none';
  return span.from >= historyFrom ? 'all' : 'part';
}

export const HISTORY_DEFINITION =
  "History: Alertbook's history begins when it stored its first alert (the received time of the oldest alert row, " +
  'kept by retention). A period that ends before then has no data, and one that holds it has data only from then on: ' +
  'such a period is marked, and its counts are of what was recorded, not of what happened.';
