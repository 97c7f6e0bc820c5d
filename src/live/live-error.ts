import { DomainError } from '../domain/errors.js';
import { PrometheusError } from '../prometheus/errors.js';
import type { ErrorFrame, LiveErrorCode } from './server-messages.js';

/** A failure the hub reports to the client as an error frame with this code. */
export class LiveError extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

/** An error as the client is told it; anything unexpected is only `internal` (log it). */
export function errorForClient(error: unknown): Pick<ErrorFrame, 'code' | 'message' | 'field'> {
  if (error instanceof LiveError) return { code: error.code, message: error.message };
  if (error instanceof PrometheusError) return { code: error.kind, message: error.message };
  if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'invalid_input')) {
    return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  }
  return { code: 'internal', message: 'internal error resolving the cell' };
}
