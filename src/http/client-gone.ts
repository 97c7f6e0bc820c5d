import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * True when the client closed or reset the connection before its request body
 * ended: whatever was thrown reading the body, that is the client leaving, not
 * a fault of ours. Known only when served by @hono/node-server (node's request in `c.env`).
 */
export function clientLeftMidBody(c: Context): boolean {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.readableAborted === true;
}
