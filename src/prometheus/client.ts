import { decodeRangeColumns, type RangeColumns } from './decode-range-columns.js';
import { type DecodeOptions, decodeQueryResponse, type UpstreamAnswer } from './decode-response.js';
import { PrometheusError } from './errors.js';
import type { DatasourceConfig, QueryResult } from './types.js';

const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_SERIES = 100;
/**
 * Longer encoded parameters go in a form-encoded POST body. Short queries stay
 * GET: cacheable, readable in proxy access logs, and allowed by read-only
 * gateways; long ones would be cut or refused by proxies' URL limits.
 */
export const MAX_GET_PARAMS_LENGTH = 2048;

export interface ClientOptions {
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Series kept per result; the rest are counted in `totalSeries`. Default 100. */
  maxSeries?: number;
}

type Endpoint = 'query' | 'query_range';

/** What code that runs queries needs of a client; lets a wrapper or a test stand in for it. */
export type QueryClient = Pick<PrometheusClient, 'name' | 'instant' | 'range' | 'rangeColumns'>;

type RangeInput = { query: string; start: number; end: number; step: number; signal?: AbortSignal };

/** A typed client for one datasource's instant and range queries. Times and steps are in seconds. */
export class PrometheusClient {
  readonly name: string;
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly maxSeries: number;

  constructor(ds: DatasourceConfig, options: ClientOptions = {}) {
    this.name = ds.name;
    this.base = new URL(ds.url);
    // fetch refuses URLs with credentials: `http://user:pass@host` becomes Basic auth.
    const urlCredentials = this.base.username
      ? { username: decodeURIComponent(this.base.username), password: decodeURIComponent(this.base.password) }
      : undefined;
    this.base.username = '';
    this.base.password = '';
    this.headers = {
      accept: 'application/json',
      // Lower-cased so a configured `Authorization` cannot sit beside ours as a second value.
      ...Object.fromEntries(Object.entries(ds.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
      ...authorizationHeader(ds.bearerToken, ds.basicAuth ?? urlCredentials),
    };
    this.timeoutMs = ds.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  }

  /** `GET|POST /api/v1/query`; `time` defaults to the server's now. */
  instant(input: { query: string; time?: number; signal?: AbortSignal }): Promise<QueryResult> {
    const params: Record<string, string> = { query: input.query };
    if (input.time !== undefined) params.time = String(input.time);
    return this.request('query', params, decodeQueryResponse, input.signal);
  }

  /** `GET|POST /api/v1/query_range`; `end` is inclusive. */
  range(input: RangeInput): Promise<QueryResult> {
    return this.request('query_range', rangeParams(input), decodeQueryResponse, input.signal);
  }

  /**
   * The same query, each series' samples read into typed columns: for answers
   * of many samples (backtests, baselines), without an array per sample.
   */
  rangeColumns(input: RangeInput): Promise<RangeColumns> {
    return this.request('query_range', rangeParams(input), decodeRangeColumns, input.signal);
  }

  private async request<T>(
    endpoint: Endpoint,
    params: Record<string, string>,
    decode: (answer: UpstreamAnswer, options: DecodeOptions) => T,
    callerSignal?: AbortSignal,
  ): Promise<T> {
    // Prometheus stops evaluating when we would stop waiting anyway.
    const form = new URLSearchParams({ ...params, timeout: String(this.timeoutMs / 1000) });
    const url = new URL(this.base);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}/api/v1/${endpoint}`;
    const post = form.toString().length > MAX_GET_PARAMS_LENGTH;
    if (!post) form.forEach((value, key) => url.searchParams.append(key, value));

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      const response = await this.fetch(url, {
        method: post ? 'POST' : 'GET',
        headers: post ? { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' } : this.headers,
        ...(post ? { body: form } : {}),
        signal,
      });
      // The body is read under the same signal: a server that stalls mid-body times out too.
      const body = await response.text();
      return decode(
        { status: response.status, statusText: response.statusText, body },
        { datasource: this.name, maxSeries: this.maxSeries },
      );
    } catch (error) {
      if (error instanceof PrometheusError) throw error;
      if (callerSignal?.aborted) {
        throw new PrometheusError('canceled', `query to datasource "${this.name}" canceled`, { cause: error });
      }
      if (timeout.aborted) {
        throw new PrometheusError('timeout', `datasource "${this.name}" did not answer within ${this.timeoutMs} ms`, {
          retryable: true,
          cause: error,
        });
      }
      throw new PrometheusError(
        'network',
        `datasource "${this.name}" (${this.describeBase()}) is unreachable: ${reason(error)}`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
  }

  /** The base URL without its query string, which may carry secrets. */
  private describeBase(): string {
    return `${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}`;
  }
}

function rangeParams(input: RangeInput): Record<string, string> {
  return { query: input.query, start: String(input.start), end: String(input.end), step: String(input.step) };
}

function authorizationHeader(
  bearerToken: string | undefined,
  basicAuth: { username: string; password: string } | undefined,
): Record<string, string> {
  if (bearerToken) return { authorization: `Bearer ${bearerToken}` };
  if (basicAuth) {
    return { authorization: `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}` };
  }
  return {};
}

/** undici says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
function reason(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
