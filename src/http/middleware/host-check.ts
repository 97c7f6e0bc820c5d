import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';

/**
 * Refuses requests whose `Host` is not a loopback name or the host of an
 * allow-listed origin. Meant for the open loopback mode, where nothing but the
 * Host tells a local page from DNS rebinding: a page on evil.example that
 * re-resolves its own name to 127.0.0.1 reaches this server as "same origin"
 * (its Origin matches its Host), but its requests still say `Host: evil.example`.
 * With tokens no check is needed: a rebound page holds none (they are never ambient).
 */
export function loopbackHostOnly(options: { allowedOrigins?: readonly string[] } = {}) {
  const allowedHosts = new Set((options.allowedOrigins ?? []).map((origin) => new URL(origin).hostname));
  return createMiddleware<AppEnv>(async function loopbackHostOnly(c, next) {
    // The header itself: a websocket upgrade's request URL may be built without it (@hono/node-ws uses localhost).
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    const hostname = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : host;
    if (isLoopbackHostname(hostname) || allowedHosts.has(hostname)) return next();
    return errorResponse(
      c,
      'forbidden',
      `Host "${hostname}" refused: running open, this server answers only to localhost, 127.0.0.1, [::1] and ALERTBOOK_ALLOWED_ORIGINS`,
    );
  });
}

/** Names no DNS answer can change: `localhost` and loopback address literals (URL hostnames, IPv6 in brackets). */
function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
