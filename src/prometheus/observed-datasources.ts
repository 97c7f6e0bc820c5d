import type { QueryClient } from './client.js';
import type { DatasourceLookup } from './datasources.js';
import { PROMETHEUS_ERROR_KINDS, PrometheusError, type PrometheusErrorKind } from './errors.js';

export interface QueryObservation {
  datasource: string;
  kind: 'instant' | 'range';
  /** `ok`, the PrometheusError's kind, or `error` for anything else thrown. */
  outcome: 'ok' | PrometheusErrorKind | 'error';
  seconds: number;
}

/** Every outcome a query can be observed with. */
export const QUERY_OUTCOMES: readonly QueryObservation['outcome'][] = ['ok', ...PROMETHEUS_ERROR_KINDS, 'error'];

/**
 * `lookup`, with `observe` told of every query its clients run, whoever runs
 * it (ad-hoc queries, snapshots, live cells): what the service asks of each
 * Prometheus, in one place. A name that is not configured sends no query and
 * is not observed.
 */
export function observeQueries(
  lookup: DatasourceLookup,
  observe: (observation: QueryObservation) => void,
): DatasourceLookup {
  const observed = new Map<QueryClient, QueryClient>();
  return {
    ...(lookup.names ? { names: lookup.names.bind(lookup) } : {}),
    get(name) {
      const client = lookup.get(name);
      let wrapper = observed.get(client);
      if (!wrapper) {
        wrapper = observeClient(client, observe);
        observed.set(client, wrapper);
      }
      return wrapper;
    },
  };
}

function observeClient(client: QueryClient, observe: (observation: QueryObservation) => void): QueryClient {
  async function timed<T>(kind: QueryObservation['kind'], run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome: QueryObservation['outcome'] = 'ok';
    try {
      return await run();
    } catch (error) {
      outcome = error instanceof PrometheusError ? error.kind : 'error';
      throw error;
    } finally {
      observe({ datasource: client.name, kind, outcome, seconds: (performance.now() - started) / 1000 });
    }
  }
  return {
    name: client.name,
    instant: (input) => timed('instant', () => client.instant(input)),
    range: (input) => timed('range', () => client.range(input)),
    rangeColumns: (input) => timed('range', () => client.rangeColumns(input)),
  };
}
