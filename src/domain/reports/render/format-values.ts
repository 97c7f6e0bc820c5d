import type { Figure } from '../figure.js';

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
