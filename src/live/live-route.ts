import type { NodeWebSocket } from '@hono/node-ws';
import { Hono, type MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env.js';
import { errorResponse } from '../http/errors.js';
import { presentedSecret } from '../http/middleware/auth.js';
import type { LiveHub } from './hub.js';
import { OriginPolicy } from './origin-policy.js';
import { SUBPROTOCOL } from './server-messages.js';
import { wsLiveSocket } from './ws-live-socket.js';

export interface LiveRouteOptions {
  hub: LiveHub;
  /** From `createNodeWebSocket({ app })`; its server is configured here (message size, subprotocol). */
  nodeWebSocket: Pick<NodeWebSocket, 'upgradeWebSocket' | 'wss'>;
  /** The API's auth middleware (`apiAuth`): sets `actor` or answers 401. It runs on the upgrade request. */
  auth: MiddlewareHandler<AppEnv>;
  /** Origins besides the server's own whose pages may connect, e.g. `https://notebook.example.com`. */
  allowedOrigins?: readonly string[];
}

/** The subprotocol entry a browser carries its API token in: `bearer.<token>`. */
const BEARER_PROTOCOL = 'bearer.';

/**
 * `GET /live` (mount under /api/v1, before the API's own auth middleware):
 * the websocket of live cells. The upgrade is refused (no socket is opened)
 * for a bad token (401), a foreign Origin or a non-browser client without a
 * token (403), or a full hub (503). The protocol is in the README ("Live cells").
 */
export function liveRoutes(options: LiveRouteOptions) {
  const { hub, nodeWebSocket } = options;
  const origins = new OriginPolicy(options.allowedOrigins ?? []);
  // Refused by the websocket server itself (close 1009) before a big message is buffered.
  nodeWebSocket.wss.options.maxPayload = hub.limits.maxMessageBytes;
  // Select our protocol, never echo the `bearer.` entry back.
  nodeWebSocket.wss.options.handleProtocols = (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false);

  const admit = createMiddleware<AppEnv>(async function admitLiveClient(c, next) {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      return errorResponse(c, 'invalid_input', 'this is a websocket endpoint: connect with Upgrade: websocket');
    }
    const protocolToken = bearerProtocolToken(c.req.header('sec-websocket-protocol'));
    if (!c.req.header('authorization') && protocolToken !== null) {
      // Browsers cannot set headers on a websocket; hand the token to the API's auth as if they could.
      c.req.raw.headers.set('authorization', `Bearer ${protocolToken}`);
    }
    const origin = c.req.header('origin');
    if (origin === undefined && presentedSecret(c.req.header('authorization')) === null) {
      return errorResponse(c, 'forbidden', 'a client without Origin (not a browser) must present a token');
    }
    if (origin !== undefined && !origins.allows(origin, c.req.header('host'))) {
      return errorResponse(c, 'forbidden', `origin ${origin} may not connect`);
    }
    if (!hub.acceptsClients()) return errorResponse(c, 'unavailable', 'too many live clients; retry later');
    await next();
  });

  const app = new Hono<AppEnv>();
  app.get(
    '/live',
    admit,
    options.auth,
    nodeWebSocket.upgradeWebSocket((c) => {
      const actor = c.get('actor');
      let connection: ReturnType<LiveHub['connect']> | undefined;
      return {
        onOpen(_event, ws) {
          const raw = ws.raw!;
          connection = hub.connect(wsLiveSocket(raw), actor);
          raw.on('pong', () => connection?.pong());
        },
        onMessage(event) {
          connection?.receive(event.data);
        },
        onClose() {
          connection?.closed();
        },
      };
    }),
  );
  return app;
}

function bearerProtocolToken(header: string | undefined): string | null {
  const entry = header
    ?.split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(BEARER_PROTOCOL));
  return entry ? entry.slice(BEARER_PROTOCOL.length) || null : null;
}
