/** Counters Prometheus keeps about itself, read from its own /metrics page. */
export interface PrometheusCounters {
  /** Requests to /api/v1/query_range, every status. */
  rangeQueries: number;
  /** CPU seconds the Prometheus process has used. */
  cpuSeconds: number;
}

export async function readPrometheusCounters(prometheusUrl: string): Promise<PrometheusCounters> {
  const text = await (await fetch(`${prometheusUrl}/metrics`)).text();
  return {
    rangeQueries: sumSamples(text, 'prometheus_http_requests_total', (labels) =>
      labels.includes('handler="/api/v1/query_range"'),
    ),
    cpuSeconds: sumSamples(text, 'process_cpu_seconds_total'),
  };
}

// One sample line of the text exposition format: `name{labels} value`.
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

/** The sum of a metric's samples (those whose `{labels}` text passes `where`) in the text format. */
export function sumSamples(text: string, name: string, where: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const [, sample, labels = '', value] = SAMPLE.exec(line) ?? [];
    if (sample === name && where(labels)) sum += Number(value);
  }
  return sum;
}
