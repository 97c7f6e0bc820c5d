import { z } from 'zod';
import { fieldPath } from '../domain/errors.js';
import { PrometheusError, type PrometheusErrorKind } from './errors.js';
import { parseSampleValue } from './sample-value.js';
import type { QueryResult, Series } from './types.js';

/** What came back over HTTP, body read as text (it is not always JSON). */
export interface UpstreamAnswer {
  status: number;
  statusText: string;
  body: string;
}

export interface DecodeOptions {
  /** Named in error messages. */
  datasource: string;
  maxSeries: number;
}

// The envelope of every /api/v1 answer (web/api/v1/api.go `Response`).
const envelopeSchema = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});
const dataSchema = z.object({ resultType: z.enum(['matrix', 'vector', 'scalar', 'string']), result: z.unknown() });

const labelsSchema = z.record(z.string(), z.string());
const sampleSchema = z.tuple([
  z.number(),
  z.string().transform((text, ctx) => {
    const value = parseSampleValue(text);
    if (value === null) {
      ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 40)}" is not a sample value` });
      return z.NEVER;
    }
    return value;
  }),
]);
const histogramSampleSchema = z.tuple([z.number(), z.unknown()]);
const vectorElementSchema = z.object({
  metric: labelsSchema,
  value: sampleSchema.optional(),
  histogram: histogramSampleSchema.optional(),
});
const matrixElementSchema = z.object({
  metric: labelsSchema,
  // Checked by decodeSamples: a week at 1-minute resolution is 10,000 samples per series.
  values: z.unknown().optional(),
  histograms: z.array(histogramSampleSchema).optional(),
});
const scalarSchema = z.tuple([z.number(), z.string()]);

const KIND_BY_ERROR_TYPE: Record<string, PrometheusErrorKind> = {
  bad_data: 'bad_data',
  execution: 'execution',
  timeout: 'timeout',
  canceled: 'canceled',
  unavailable: 'unavailable',
  internal: 'upstream',
  not_found: 'upstream',
  not_acceptable: 'upstream',
};
// Errors about the query itself: their text is for the person who wrote it, verbatim.
const QUERY_ERRORS = new Set<PrometheusErrorKind>(['bad_data', 'execution']);
const HISTOGRAMS_LEFT_OUT =
  'native histogram samples are left out: chart them through histogram_quantile(), histogram_count() or histogram_sum()';

/**
 * Turns an answer to /api/v1/query or /api/v1/query_range into a QueryResult
 * (at most `maxSeries` series), or throws a PrometheusError saying what went wrong.
 */
export function decodeQueryResponse(answer: UpstreamAnswer, options: DecodeOptions): QueryResult {
  const envelope = envelopeSchema.safeParse(parseJson(answer.body));
  // Not the API speaking: a starting Prometheus' plain-text 503, a proxy's HTML page, a truncated body.
  if (!envelope.success) throw notApiAnswer(answer, options.datasource);
  const body = envelope.data;
  if (body.status === 'error') throw apiError(body, answer.status, options.datasource);

  const warnings = [...(body.warnings ?? [])];
  const infos = body.infos?.length ? { infos: body.infos } : {};
  const data = parseAt(dataSchema, body.data, ['data'], options.datasource);

  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const value = parseAt(scalarSchema, data.result, ['data', 'result'], options.datasource);
    return { resultType: data.resultType, value, warnings, ...infos };
  }
  const elements = parseAt(z.array(z.unknown()), data.result, ['data', 'result'], options.datasource);
  // Only the kept series are validated and converted: a result of 50,000 series costs no more than 100.
  const kept = elements.slice(0, options.maxSeries);
  let histograms = false;
  const series: Series[] = kept.map((element, i) => {
    const path = ['data', 'result', i];
    if (data.resultType === 'vector') {
      const { metric, value, histogram } = parseAt(vectorElementSchema, element, path, options.datasource);
      histograms ||= histogram !== undefined;
      return { metric, values: value ? [value] : [] };
    }
    const {
      metric,
      values,
      histograms: histogramSamples,
    } = parseAt(matrixElementSchema, element, path, options.datasource);
    histograms ||= Boolean(histogramSamples?.length);
    return { metric, values: decodeSamples(values, [...path, 'values'], options.datasource) };
  });
  if (histograms) warnings.push(HISTOGRAMS_LEFT_OUT);
  return {
    resultType: data.resultType,
    series,
    truncated: elements.length > kept.length,
    totalSeries: elements.length,
    warnings,
    ...infos,
  };
}

/**
 * A matrix series' `[time, "value"]` pairs as `[time, value]`, converted in
 * place: checked by hand rather than with a zod schema per sample, which cost
 * seconds and a new array per sample on a week of 100 series at 1-minute resolution.
 */
function decodeSamples(raw: unknown, path: (string | number)[], datasource: string): [number, number][] {
  if (raw === undefined) return [];
  const unexpected = (at: (string | number)[], message: string) =>
    new PrometheusError(
      'upstream',
      `datasource "${datasource}" sent an unexpected response: ${fieldPath([...path, ...at])}: ${message}`,
    );
  if (!Array.isArray(raw)) throw unexpected([], 'expected an array of samples');
  for (let i = 0; i < raw.length; i++) {
    const pair: unknown = raw[i];
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') {
      throw unexpected([i], 'expected a [time, "value"] pair');
    }
    const value = typeof pair[1] === 'string' ? parseSampleValue(pair[1]) : null;
    if (value === null)
      throw unexpected([i, 1], `${JSON.stringify(String(pair[1]).slice(0, 40))} is not a sample value`);
    pair[1] = value;
  }
  return raw as [number, number][];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseAt<S extends z.ZodType>(
  schema: S,
  value: unknown,
  path: (string | number)[],
  datasource: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new PrometheusError(
    'upstream',
    `datasource "${datasource}" sent an unexpected response: ${fieldPath([...path, ...issue.path])}: ${issue.message}`,
  );
}

function apiError(body: z.output<typeof envelopeSchema>, status: number, datasource: string): PrometheusError {
  const kind = KIND_BY_ERROR_TYPE[body.errorType ?? ''] ?? kindForStatus(status);
  const text = body.error || `errorType "${body.errorType ?? ''}" with no message (HTTP ${status})`;
  const position = parsePosition(text);
  return new PrometheusError(kind, QUERY_ERRORS.has(kind) ? text : `datasource "${datasource}": ${text}`, {
    status,
    retryable: isRetryable(kind, status),
    ...(position ? { position } : {}),
  });
}

function notApiAnswer(answer: UpstreamAnswer, datasource: string): PrometheusError {
  const ok = answer.status >= 200 && answer.status < 300;
  const kind = ok ? 'upstream' : kindForStatus(answer.status);
  const what = ok ? 'with a body that is not a Prometheus API response' : answer.statusText || 'with no API response';
  const snippet = answer.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new PrometheusError(
    kind,
    `datasource "${datasource}" answered HTTP ${answer.status} ${what}${snippet ? `: ${snippet}` : ''}`,
    { status: answer.status, retryable: isRetryable(kind, answer.status) },
  );
}

/** For answers that carry no (known) errorType: what the status says. */
function kindForStatus(status: number): PrometheusErrorKind {
  // 429: query frontends (Thanos, Mimir) shedding load; come back later like a 503.
  if (status === 503 || status === 429) return 'unavailable';
  if (status === 504) return 'timeout';
  return 'upstream';
}

function isRetryable(kind: PrometheusErrorKind, status: number): boolean {
  if (kind === 'timeout' || kind === 'unavailable') return true;
  return kind === 'upstream' && status >= 500;
}

/** `invalid parameter "query": 1:7: parse error: …` → line 1, column 7. */
function parsePosition(message: string): { line: number; column: number } | undefined {
  const match = /\b(\d+):(\d+): parse error\b/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}
