import type { Figure } from '../figure.js';
import type { WeeklyReport } from '../model.js';
import { localFields } from '../zoned-time.js';

/** 0 → "0", 75 → "1m 15s", 5400 → "1h 30m", null → "–". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return h < 48 ? `${h}h${m ? ` ${m}m` : ''}` : `${Math.round(h / 24)}d`;
}

export function formatShare(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}

/** A change as "+12%", "−40%", or "new" when the previous period had none. */
export function formatChange(value: number | null): string {
  if (value === null) return 'n/a';
  const pct = Math.round(value * 100);
  return pct > 0 ? `+${pct}%` : pct < 0 ? `−${-pct}%` : '±0%';
}

/** Firings per week with one decimal, or "–" when there is no rate (no time to spread them over). */
export function formatPerWeek(value: number | null): string {
  return value === null ? '–' : value.toFixed(1);
}

export function count(f: Figure): string {
  return f.value === null ? '–' : String(f.value);
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The columns of the response table, beside each other as in the HTML report and the notebook. */
export const RESPONSE_COLUMNS = [
  '',
  'Incidents',
  'MTTA median',
  'p90',
  'mean',
  'MTTR median',
  'p90',
  'mean',
  'Never acked',
  'Still open',
  'Manual',
  'Automatic',
];

/** An instant as the report's readers keep time: `2026-10-18 23:30 Europe/Berlin`. */
export function formatLocalMinute(instant: string, tz: string): string {
  return `${localMinute(instant, tz)} ${tz}`;
}

/**
 * The report's header line in its zone (the JSON keeps the UTC instants):
 * `2026-10-12 00:00 → 2026-10-19 00:00 Europe/Berlin · generated 2026-10-19 09:00`.
 */
export function formatPeriodLine(r: Pick<WeeklyReport, 'period' | 'generatedAt'>): string {
  const { from, to, tz } = r.period;
  return `${localMinute(from, tz)} → ${formatLocalMinute(to, tz)} · generated ${localMinute(r.generatedAt, tz)}`;
}

function localMinute(instant: string, tz: string): string {
  const f = localFields(new Date(instant), tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${f.year}-${two(f.month)}-${two(f.day)} ${two(f.hour)}:${two(f.minute)}`;
}

/**
 * What a reader must know before the figures when Alertbook's history does not cover the whole period (see
 * src/domain/history-coverage.ts); null when it does, or for a report stored before history was recorded in reports.
 */
export function historyNotice(r: Pick<WeeklyReport, 'history' | 'period'>): string | null {
  const h = r.history;
  if (!h || h.covers === 'all') return null;
  if (h.from === null) return 'Alertbook has stored no alert yet: zeros here mean no data, not a quiet period.';
  const from = formatLocalMinute(h.from, r.period.tz);
  return h.covers === 'none'
    ? `Alertbook's history begins ${from}, after this period: nothing was recorded during it, so low counts mean no data, not a quiet period.`
    : `Alertbook's history begins ${from}, within this period: its counts cover only what was recorded from then on.`;
}

/** The trend's periods worth drawing: those Alertbook's history covers at least in part (all, in older stored reports). */
export function trendWithHistory(trend: WeeklyReport['volume']['trend']): WeeklyReport['volume']['trend'] {
  return trend.filter((t) => t.history !== 'none');
}

/** The trend chart's title for the `periods` it draws (fewer than 8 when the history began within them). */
export function trendTitle(periods: number): string {
  return periods === 1 ? 'This period, the first with history' : `Last ${periods} periods`;
}

/** A trend period's label, saying when the history covers none or only part of it. */
export function trendPeriodLabel(t: WeeklyReport['volume']['trend'][number]): string {
  if (t.history === 'none') return `${t.label} (no history)`;
  return t.history === 'part' ? `${t.label} (history begins)` : t.label;
}
