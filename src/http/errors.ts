import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { errorFields } from '../logger.js';
import { clientLeftMidBody } from './client-gone.js';

/** The one code → status map. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  no_threshold: 422,
  rule_changed: 409,
  payload_too_large: 413,
  request_timeout: 408,
  unsupported_media_type: 415,
  upstream_error: 502,
  unavailable: 503,
  internal: 500,
};

// Alertmanager backs off on its own; this only tells other clients when to come back.
const RETRY_AFTER_SECONDS = '5';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; field?: string; [detail: string]: unknown };
}

/** Writes the one error envelope used everywhere. */
export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  field?: string,
  details?: Record<string, unknown>,
) {
  const body: ErrorBody = {
    error: { ...details, code, message, requestId: c.get('requestId') ?? '', ...(field ? { field } : {}) },
  };
  if (code === 'unavailable') c.header('Retry-After', RETRY_AFTER_SECONDS);
  if (code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="alertbook"');
  return c.json(body, STATUS[code]);
}

/**
 * Maps anything thrown by a handler to the envelope. `isTransient` decides
 * which unknown errors are worth a retry (503) — injected so this layer
 * never imports the database driver. A client that left mid-body gets a 400
 * it will never read, and no error log: nothing went wrong here.
 */
export function createErrorHandler(
  isTransient: (error: unknown) => boolean,
  log: (msg: string, fields: Record<string, unknown>) => void,
) {
  return function onError(error: Error, c: Context) {
    if (error instanceof DomainError) return errorResponse(c, error.code, error.message, error.field, error.details);
    if (clientLeftMidBody(c))
      return errorResponse(c, 'invalid_input', 'the client closed the connection before the body ended', '(body)');
    // The request id is in the body the client logs (Alertmanager logs it), so logging it here joins the two.
    const requestId = c.get('requestId') as string | undefined;
    if (isTransient(error)) {
      log('transient failure, asking the client to retry', { requestId, ...errorFields(error) });
      return errorResponse(c, 'unavailable', 'the database is unreachable; retry later');
    }
    log('unhandled error', { requestId, ...errorFields(error, { stack: true }) });
    return errorResponse(c, 'internal', 'internal error');
  };
}
