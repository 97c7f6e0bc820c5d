/**
 * The globals a script cell sees (a ```ts block of a runbook), defined by the prelude Deno loads
 * before the cell. Everything else is Deno's own API, under the runbook's `permissions`.
 */

/** A sample: unix seconds and the value (NaN and ±Infinity as numbers). */
type CellSample = [time: number, value: number];

interface CellSeries {
  metric: Record<string, string>;
  values: CellSample[];
}

/** The answer of `query`/`queryRange`: series (capped like every Alertbook query; none for a scalar or string). */
interface CellQueryResult {
  resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  series: CellSeries[];
  /** A scalar or string result: [unix seconds, value as Prometheus writes it]. */
  value?: [time: number, value: string];
  /** True when the datasource returned more series than Alertbook keeps. */
  truncated?: boolean;
  totalSeries?: number;
  warnings: string[];
  infos?: string[];
}

/** A point in time: a Date or unix seconds. */
type CellTime = Date | number;
/** Seconds, or a duration like "15m", "1h30m", "2d". */
type CellDuration = number | string;

/** The incident's first alert (Deno's `alert()` function, with these added). */
declare namespace alert {
  const labels: Readonly<Record<string, string>>;
  const annotations: Readonly<Record<string, string>>;
}

/** The incident the cell runs for (in `alertbook run`: id 0, the runbook's title, now). */
declare const incident: Readonly<{
  id: number;
  title: string;
  status: 'firing' | 'acknowledged' | 'resolved' | string;
  startedAt: string;
}>;

/** An instant query through Alertbook (at `time`, default now), on the runbook's datasource unless named. */
declare function query(promql: string, options?: { datasource?: string; time?: CellTime }): Promise<CellQueryResult>;

/** A range query through Alertbook: `start`–`end`, or the last `range` (default "1h") before `end` (default now). */
declare function queryRange(
  promql: string,
  options?: { range?: CellDuration; start?: CellTime; end?: CellTime; step?: CellDuration; datasource?: string },
): Promise<CellQueryResult>;

/** Structured outputs, shown by the notebook and recorded on the timeline with the run. */
declare const show: {
  /** Rows of a table; the columns are the keys of the rows. */
  table(rows: Record<string, unknown>[]): void;
  /** A time-series chart (uPlot), with an optional threshold line. */
  chart(series: CellSeries[], options?: { threshold?: number; unit?: string }): void;
  /** Markdown, sanitized when shown. */
  markdown(text: string): void;
  /** Any JSON value, shown folded. */
  json(value: unknown): void;
};
