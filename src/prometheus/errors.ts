export type PrometheusErrorKind =
  /** The query or its parameters were rejected (Prometheus `bad_data`, HTTP 400): the caller's mistake. */
  | 'bad_data'
  /** The query parsed but could not be evaluated (`execution`, HTTP 422), e.g. many-to-many matching. */
  | 'execution'
  /** Prometheus' own query timeout (`timeout`, 503), or our per-request budget ran out. */
  | 'timeout'
  /** The caller aborted, or Prometheus reports the query canceled (`canceled`, 499). */
  | 'canceled'
  /** The server cannot answer now: starting or stopping (plain-text 503), TSDB not ready, rate-limited (429). */
  | 'unavailable'
  /** Anything else from the server or a proxy in front of it: 5xx, HTML error pages, malformed JSON. */
  | 'upstream'
  /** No HTTP answer at all: connection refused or reset, DNS failure. */
  | 'network'
  /** The named datasource is not configured. */
  | 'unknown_datasource';

// Every kind once (the Record type fails to compile when one is missing), for counters that start at zero.
const KINDS: Record<PrometheusErrorKind, true> = {
  bad_data: true,
  execution: true,
  timeout: true,
  canceled: true,
  unavailable: true,
  upstream: true,
  network: true,
  unknown_datasource: true,
};
export const PROMETHEUS_ERROR_KINDS = Object.keys(KINDS) as PrometheusErrorKind[];

export interface PrometheusErrorOptions {
  status?: number | null;
  retryable?: boolean;
  position?: { line: number; column: number };
  cause?: unknown;
}

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  /** The upstream HTTP status; null when there was no HTTP answer. */
  readonly status: number | null;
  /** Whether the same request may succeed later (backoff and retry). */
  readonly retryable: boolean;
  /** Where a PromQL parse error is, 1-based, as Prometheus reports it ("1:7: parse error: …"). */
  readonly position?: { line: number; column: number };

  constructor(kind: PrometheusErrorKind, message: string, options: PrometheusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrometheusError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
    if (options.position) this.position = options.position;
  }
}
