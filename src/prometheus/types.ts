/** A sample as a number, parsed from Prometheus' strings: "NaN" → NaN, "+Inf" → Infinity, "-Inf" → -Infinity. */
export type SampleValue = number;

export interface Series {
  metric: Record<string, string>;
  /** [unix seconds, value], oldest first. */
  values: [number, SampleValue][];
}

export type QueryResult =
  | {
      resultType: 'matrix' | 'vector';
      series: Series[];
      /** True when the upstream returned more than `maxSeries` series and the rest were dropped. */
      truncated: boolean;
      /** How many series the upstream returned, before the cap. */
      totalSeries: number;
      warnings: string[];
      /** Info-level annotations (Prometheus ≥ 2.50, e.g. "metric might not be a counter"); absent when none. */
      infos?: string[];
    }
  | { resultType: 'scalar' | 'string'; value: [number, string]; warnings: string[]; infos?: string[] };

/** One server speaking the Prometheus HTTP API: Prometheus, Thanos Query, Mimir, VictoriaMetrics… */
export interface DatasourceConfig {
  name: string;
  /** Base URL; a path is kept as a prefix (Mimir: `http://mimir/prometheus`). */
  url: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** Extra request headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir. */
  headers?: Record<string, string>;
  /** Per-request budget, default 30 000. */
  timeoutMs?: number;
}
