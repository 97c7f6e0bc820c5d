import type { QueryResult, SampleValue, Series } from './types.js';

/**
 * JSON has no NaN or infinities (JSON.stringify writes `null`), and Postgres'
 * jsonb refuses them, so our own JSON carries finite values as numbers and the
 * three others as Prometheus spells them.
 */
export type WireSampleValue = number | 'NaN' | '+Inf' | '-Inf';
export interface WireSeries {
  metric: Record<string, string>;
  values: [number, WireSampleValue][];
}
export type WireQueryResult =
  | (Omit<Extract<QueryResult, { series: Series[] }>, 'series'> & { series: WireSeries[] })
  | Extract<QueryResult, { value: [number, string] }>;

const SPECIAL: Record<string, SampleValue> = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };

/** A sample value as Prometheus writes it (`"0.25"`, `"1e+00"`, `"NaN"`, `"+Inf"`), or null when it is not one. */
export function parseSampleValue(text: string): SampleValue | null {
  if (Object.hasOwn(SPECIAL, text)) return SPECIAL[text]!;
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? null : value;
}

export function encodeSampleValue(value: SampleValue): WireSampleValue {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

export function encodeSeries(series: Series): WireSeries {
  return { metric: series.metric, values: series.values.map(([t, v]) => [t, encodeSampleValue(v)]) };
}

export function encodeQueryResult(result: QueryResult): WireQueryResult {
  return 'series' in result ? { ...result, series: result.series.map(encodeSeries) } : result;
}
