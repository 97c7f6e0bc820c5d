/**
 * Whether a database error is one a retry can get past (server down, restarting,
 * connection lost, overloaded, serialization conflict) rather than a bug or bad data.
 * Drizzle wraps driver errors, so the cause chain is walked.
 */
const TRANSIENT_NODE_CODES = new Set([
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

// SQLSTATE classes/codes: 08 connection exception, 53 insufficient resources,
// 57P01-03 admin shutdown / crash shutdown / cannot connect now, 40001/40P01 retryable conflicts.
const TRANSIENT_SQLSTATE = /^(08|53|57P0[123]|40001|40P01)/;

export function isTransientDatabaseError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; cause?: unknown; message?: unknown };
    if (typeof e.code === 'string' && (TRANSIENT_NODE_CODES.has(e.code) || TRANSIENT_SQLSTATE.test(e.code))) {
      return true;
    }
    current = e.cause;
  }
  return false;
}
