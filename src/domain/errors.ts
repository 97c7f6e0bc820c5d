/**
 * The closed set of error codes the domain raises. The HTTP layer owns the
 * code → status map (src/http/errors.ts); nothing here knows about HTTP.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  /** A tuning request names a threshold the rule does not have (a comparison with a series, none, arithmetic). */
  | 'no_threshold'
  /** A tuning decision's rule changed since, where its patch cannot be re-based. */
  | 'rule_changed'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'upstream_error'
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The offending field path for invalid_input, e.g. `alerts[3].startsAt`. */
    readonly field?: string,
    /** Extra facts for the client, e.g. where in a PromQL query a parse error is. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(field: string, message: string) {
    super('invalid_input', `${field}: ${message}`, field);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/** The rule has no threshold a baseline or candidate can use: `reason` says why (issue #15's `no_threshold`). */
export class NoThresholdError extends DomainError {
  constructor(field: string, reason: string) {
    super('no_threshold', `${field}: no_threshold: ${reason}`, field);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Converts a zod-style path (`['alerts', 3, 'startsAt']`) to `alerts[3].startsAt`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(body)';
}
