// Errors of the connection itself (postgres.js's and the socket's): the server is unreachable or gone.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

// SQLSTATE 08 connection exception, 57P01-03 admin shutdown / crash shutdown / cannot connect now.
const CONNECTION_SQLSTATE = /^(08|57P0[123])/;
// SQLSTATE 53 insufficient resources, 40001/40P01 retryable conflicts: the connection is fine.
const RETRYABLE_SQLSTATE = /^(53|40001|40P01)/;

/** Whether the connection to the server failed or was lost (rather than a statement). */
export function isConnectionLost(error: unknown): boolean {
  return hasCode(error, (code) => CONNECTION_CODES.has(code) || CONNECTION_SQLSTATE.test(code));
}

/**
 * Whether a database error is one a retry can get past (server down, restarting,
 * connection lost, overloaded, serialization conflict) rather than a bug or bad data.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  return isConnectionLost(error) || hasCode(error, (code) => RETRYABLE_SQLSTATE.test(code));
}

/** Drizzle wraps driver errors, so the cause chain is walked. */
function hasCode(error: unknown, matches: (code: string) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && matches(e.code)) return true;
    current = e.cause;
  }
  return false;
}
