import { DomainError, ValidationError } from '../domain/errors.js';
import type { DatasourceLookup } from './datasources.js';
import { PrometheusError } from './errors.js';
import type { QueryRequest } from './query-request.js';
import type { QueryResult } from './types.js';

/** Prometheus rejected the query itself (400 for our caller), with where a parse error is. */
export class QueryRejectedError extends DomainError {
  constructor(
    message: string,
    field: string | undefined,
    readonly position?: { line: number; column: number },
  ) {
    super('invalid_input', message, field, position ? { position } : undefined);
    this.name = 'QueryRejectedError';
  }
}

/** Runs a query on its datasource; failures come out as domain errors the HTTP layer maps to statuses. */
export async function runQuery(
  datasources: DatasourceLookup,
  request: QueryRequest,
  signal?: AbortSignal,
): Promise<QueryResult> {
  try {
    const client = datasources.get(request.datasource);
    return request.kind === 'instant'
      ? await client.instant({
          query: request.query,
          ...(request.time === undefined ? {} : { time: request.time }),
          signal,
        })
      : await client.range({
          query: request.query,
          start: request.start,
          end: request.end,
          step: request.step,
          signal,
        });
  } catch (error) {
    throw error instanceof PrometheusError ? toDomainError(error) : error;
  }
}

/**
 * The query's own faults are the caller's to fix (400); an upstream that says
 * "later" or ran out of time is `unavailable` (503, Retry-After); anything else
 * from or on the way to the upstream is `upstream_error` (502).
 */
export function toDomainError(error: PrometheusError): DomainError {
  switch (error.kind) {
    case 'bad_data':
    case 'execution': {
      // `invalid parameter "query": 1:7: parse error: …` names the parameter at fault.
      const field = /^invalid parameter "(\w+)"/.exec(error.message)?.[1];
      return new QueryRejectedError(error.message, field, error.position);
    }
    case 'unknown_datasource':
      return new ValidationError('datasource', error.message);
    case 'unavailable':
    case 'timeout':
      return new DomainError('unavailable', error.message);
    case 'upstream':
    case 'network':
    case 'canceled':
      return new DomainError('upstream_error', error.message);
  }
}
