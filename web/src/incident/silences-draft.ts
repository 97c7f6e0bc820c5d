import type { Labels } from '../api/types.js';
import { commonLabels, quoteLabelValue } from '../format/labels.js';

/** Alertmanager's four matcher operators. */
export const OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type Operator = (typeof OPERATORS)[number];

/** A matcher as the form edits it; `key` keeps a row's identity when rows above it are removed. */
export interface MatcherRow {
  key: number;
  name: string;
  operator: Operator;
  value: string;
}

/** A matcher as Alertmanager's API v2 (and Alertbook's) writes it. */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export const DURATION_PRESETS = ['1h', '4h', '1d'] as const;

let nextKey = 0;
export function matcherRow(name = '', value = '', operator: Operator = '='): MatcherRow {
  return { key: ++nextKey, name, operator, value };
}

/** The rows a new silence starts with: the labels every alert of the incident shares, as equality matchers. */
export function prefilledRows(labelSets: readonly Labels[]): MatcherRow[] {
  const shared = commonLabels(labelSets);
  // alertname first, as Alertmanager's own UI shows it.
  const names = Object.keys(shared).sort(
    (a, b) => Number(b === 'alertname') - Number(a === 'alertname') || (a < b ? -1 : 1),
  );
  return names.map((name) => matcherRow(name, shared[name]!));
}

export function toApiMatcher(row: MatcherRow): ApiMatcher {
  return {
    name: row.name.trim(),
    value: row.value,
    isRegex: row.operator.endsWith('~'),
    isEqual: !row.operator.startsWith('!'),
  };
}

export function operatorOf(matcher: ApiMatcher): Operator {
  const equal = matcher.isEqual ?? true;
  if (matcher.isRegex) return equal ? '=~' : '!~';
  return equal ? '=' : '!=';
}

/** `alertname="DiskFull"`, `instance=~"db-.*"`: a matcher as Alertmanager prints it. */
export function formatMatcher(matcher: ApiMatcher): string {
  return `${matcher.name}${operatorOf(matcher)}${quoteLabelValue(matcher.value)}`;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/**
 * A Prometheus duration (`2h30m`, `1d`) in milliseconds, for showing "until"
 * before sending; null when it is not one (the server then names the field).
 */
export function durationMs(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/** Where the API's 400 points: a matcher row's field, the matchers as a whole, or another field of the form. */
export type FieldTarget =
  | { kind: 'row'; index: number; part: 'name' | 'value' }
  | { kind: 'matchers' }
  | { kind: 'duration' }
  | { kind: 'comment' }
  | { kind: 'form' };

export function fieldTarget(field: string | undefined): FieldTarget {
  const row = /^matchers\[(\d+)\]\.(name|value|isRegex|isEqual)$/.exec(field ?? '');
  if (row) return { kind: 'row', index: Number(row[1]), part: row[2] === 'name' ? 'name' : 'value' };
  if (field === 'matchers' || field?.startsWith('matchers')) return { kind: 'matchers' };
  if (field === 'duration' || field === 'comment') return { kind: field };
  return { kind: 'form' };
}
