// The live hub as the benchmark runs it: a process of its own, so its RSS is its own
// and the 1,000 clients' work does not share its event loop. Driven over IPC by server-process.ts.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { AppEnv } from '../../../src/http/env.js';
import { apiAuth } from '../../../src/http/middleware/auth.js';
import { LiveHub } from '../../../src/live/hub.js';
import { liveRoutes } from '../../../src/http/routes/live.js';
import type { LiveDatasources } from '../../../src/live/subscription-target.js';
import { createLogger } from '../../../src/logger.js';
import { Datasources } from '../../../src/prometheus/datasources.js';
import type { FromServer, ToServer } from './server-messages.js';

const prometheusUrl = process.env.BENCH_PROMETHEUS_URL;
const token = process.env.BENCH_TOKEN;
if (!prometheusUrl || !token || !process.send)
  throw new Error('run by server-process.ts: BENCH_PROMETHEUS_URL, BENCH_TOKEN and IPC');
const tell = (message: FromServer) => process.send!(message);

const datasources = new Datasources([{ name: 'default', url: prometheusUrl }]);
// Reports when each answer arrives: the start of the fan-out the benchmark times.
const timed: LiveDatasources = {
  get(name) {
    const client = datasources.get(name);
    return {
      async range(input) {
        const result = await client.range(input);
        tell({ type: 'answer', query: input.query, end: input.end, at: performance.timeOrigin + performance.now() });
        return result;
      },
    };
  },
};

const registry = new Registry();
const hub = new LiveHub({ datasources: timed, registry, logger: createLogger() });
const app = new Hono<AppEnv>();
const live = liveRoutes({ hub, auth: (source) => apiAuth({ tokens: [{ name: 'bench', token }], token: source }) });
app.route('/api/v1', live.routes);
const server = serve(
  { fetch: app.fetch, hostname: '127.0.0.1', port: 0, websocket: { server: live.webSocketServer } },
  (info: AddressInfo) => {
    tell({ type: 'ready', port: info.port });
  },
);

process.on('message', async (message: ToServer) => {
  switch (message.type) {
    case 'rss':
      return tell({ type: 'rss', bytes: process.memoryUsage.rss() });
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return tell({ type: 'cpu', seconds: (user + system) / 1e6 });
    }
    case 'metrics':
      return tell({ type: 'metrics', text: await registry.metrics() });
    case 'stop':
      // Closing everything lets the process end by itself.
      hub.close();
      server.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      process.disconnect();
  }
});
