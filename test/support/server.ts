import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { TestApp } from './app.js';

/** A fetch handler as @hono/node-server calls it; `env` carries node's request and response objects. */
export type FetchHandler = (request: Request, env?: unknown) => Promise<Response>;

export interface TestServer {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  /** Stops listening, drops open connections, then closes the app's database. */
  close(): Promise<void>;
}

/**
 * Serves a test app on a loopback port (ephemeral unless given), for peers that must reach
 * it over the network (Alertmanager, a browser). `around` wraps the app's
 * fetch handler, e.g. to make the app look down for a while.
 */
export async function startTestServer(
  app: TestApp,
  options: { around?: (fetch: FetchHandler) => FetchHandler; port?: number } = {},
): Promise<TestServer> {
  // env passed on, so the app reads request bodies from node's stream as it does when main.ts serves it.
  const fetch: FetchHandler = async (request, env) => app.app.fetch(request, env);
  const handler = options.around ? options.around(fetch) : fetch;
  const server = serve({ fetch: handler, hostname: '127.0.0.1', port: options.port ?? 0, websocket: app.websocket });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve).once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Peers keep idle keep-alive connections; do not wait for them to time out.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await app.close();
    },
  };
}
