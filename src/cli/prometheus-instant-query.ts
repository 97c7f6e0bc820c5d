import type { InstantQuery } from '../domain/check/evaluate-cells.js';
import { PrometheusClient } from '../prometheus/client.js';
import { PrometheusError } from '../prometheus/errors.js';

/** Prometheus could not be reached at all: no cell can be judged, so the check stops. */
export class PrometheusUnreachableError extends Error {
  constructor(url: string, cause: PrometheusError) {
    // The client's message names its datasource; the check's user named a URL, so show the root cause.
    let root: Error = cause;
    while (root.cause instanceof Error) root = root.cause;
    super(`cannot reach Prometheus at ${url}: ${root.message}`, { cause });
    this.name = 'PrometheusUnreachableError';
  }
}

/** The check's view of the service's Prometheus client: how many series a query returns, or why it was rejected. */
export function prometheusInstantQuery(url: string, timeoutMs: number): InstantQuery {
  const client = new PrometheusClient({ name: 'check', url, timeoutMs });
  return async (query) => {
    try {
      const result = await client.instant({ query });
      return { kind: 'series', count: 'series' in result ? result.totalSeries : 1 };
    } catch (error) {
      if (error instanceof PrometheusError && error.kind === 'network')
        throw new PrometheusUnreachableError(url, error);
      if (!(error instanceof PrometheusError)) throw error;
      const status = error.status ? ` (HTTP ${error.status})` : '';
      return { kind: 'rejected', error: `${error.kind}${status}: ${error.message}` };
    }
  };
}
