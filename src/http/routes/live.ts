import { upgradeWebSocket, type HttpBindings } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveHub } from '../../live/hub.js';
import { OriginPolicy } from '../../live/origin-policy.js';
import { SUBPROTOCOL } from '../../live/server-messages.js';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { liveSocket } from '../live-socket.js';
import { authorizationHeader, type TokenSource } from '../middleware/auth.js';

export interface LiveRouteOptions {
  hub: LiveHub;
  /** The API's auth middleware (sets `actor` or answers 401) reading the token from `token`; runs on the upgrade. */
  auth: (token: TokenSource) => MiddlewareHandler<AppEnv>;
  /** Origins besides the server's own whose pages may connect, e.g. `https://notebook.example.com`. */
  allowedOrigins?: readonly string[];
}

export interface LiveRoutes {
  routes: Hono<AppEnv>;
  /** For @hono/node-server's `serve({ …, websocket: { server } })`, which hands it the upgrades `routes` accept. */
  webSocketServer: WebSocketServer;
}

/** The subprotocol entry a browser carries its API token in: `bearer.<token>`. */
const BEARER_PROTOCOL = 'bearer.';

/**
 * Browsers cannot set headers on a websocket: they offer the token as a
 * `bearer.<token>` subprotocol entry. Other clients send the Authorization header.
 */
export const liveToken: TokenSource = (c) =>
  authorizationHeader(c) ?? bearerProtocolToken(c.req.header('sec-websocket-protocol'));

/**
 * `GET /live` (mount under /api/v1, before the API's own auth middleware):
 * the websocket of live cells. The upgrade is refused (no socket is opened)
 * for a missing or bad token (401; a client without Origin, not a browser,
 * always needs one), a foreign Origin (403) or a full hub (503). The protocol
 * is in the README ("Live cells").
 */
export function liveRoutes(options: LiveRouteOptions): LiveRoutes {
  const { hub } = options;
  const origins = new OriginPolicy(options.allowedOrigins ?? []);
  const webSocketServer = new WebSocketServer({
    noServer: true,
    // Refused by ws itself (close 1009) before a big message is buffered.
    maxPayload: hub.limits.maxMessageBytes,
    // Select our protocol, never echo the `bearer.` entry back.
    handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  const admit = createMiddleware<AppEnv>(async function admitLiveClient(c, next) {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      return errorResponse(c, 'invalid_input', 'this is a websocket endpoint: connect with Upgrade: websocket');
    }
    const origin = c.req.header('origin');
    if (origin === undefined && liveToken(c) === null) {
      return errorResponse(c, 'unauthorized', 'missing API token: a client without Origin (not a browser) needs one');
    }
    if (origin !== undefined && !origins.allows(origin, c.req.header('host'))) {
      return errorResponse(c, 'forbidden', `origin ${origin} may not connect`);
    }
    if (!hub.acceptsClients()) return errorResponse(c, 'unavailable', 'too many live clients; retry later');
    await next();
  });

  const routes = new Hono<AppEnv>();
  routes.get(
    '/live',
    admit,
    options.auth(liveToken),
    upgradeWebSocket((c) => {
      const actor = c.get('actor');
      // The connection ws writes to: @hono/node-server puts the upgrade request in `env`
      // (without it, as under app.request(), upgradeWebSocket answers 500 and opens nothing).
      const connection = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
      if (!connection) return {};
      let client: ReturnType<LiveHub['connect']> | undefined;
      return {
        onOpen(_event, ws) {
          // The socket of the WebSocketServer above.
          const raw = ws.raw as WebSocket;
          client = hub.connect(liveSocket(raw, connection), actor);
          raw.on('pong', () => client?.pong());
        },
        onMessage(event) {
          client?.receive(event.data);
        },
        onClose() {
          client?.closed();
        },
      };
    }),
  );
  return { routes, webSocketServer };
}

function bearerProtocolToken(header: string | undefined): string | null {
  const entry = header
    ?.split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(BEARER_PROTOCOL));
  return entry ? entry.slice(BEARER_PROTOCOL.length) || null : null;
}
