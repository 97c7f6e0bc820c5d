import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The demo's "API": a node:http server instrumented the way runbooks/rules/web-api.yaml expects
 * (http_requests_total{route,method,code}, http_request_duration_seconds with buckets at 1 and 3 s,
 * db_query_duration_seconds{query}), fed by its own steady traffic. It alternates a bad phase (a fifth
 * of the requests fail with 5xx, one in ten takes 3–4.5 s: p95 above 3 s) and a good one (fast, almost
 * no errors), bad first, so ApiHighErrorRate and ApiHighLatency fire and resolve in a loop. Its one
 * query per request stays fast in both phases: the latency runbook's "Is it the database?" step has
 * a chart to read, and its answer is no.
 */
export interface DemoServiceOptions {
  /** Length of each phase; the service starts bad. */
  phaseMs: number;
  /** Requests a second the built-in traffic sends. */
  requestsPerSecond: number;
}

export interface DemoService {
  url: string;
  phase(): 'bad' | 'good';
  close(): Promise<void>;
}

// The shipped rules' thresholds are 1 s and 3 s: boundaries there keep the p95 from being interpolated across them.
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

// Boundaries at the database rules' thresholds (100 and 500 ms), as for the HTTP ones.
const QUERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

const ROUTES = [
  {
    method: 'GET',
    route: '/orders/:id',
    query: 'orders.by_id',
    path: () => `/orders/${Math.floor(Math.random() * 1000)}`,
  },
  { method: 'POST', route: '/orders', query: 'orders.insert', path: () => '/orders' },
  { method: 'GET', route: '/catalog', query: 'catalog.list', path: () => '/catalog' },
] as const;

export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const startedAt = Date.now();
  const phase = () => (Math.floor((Date.now() - startedAt) / options.phaseMs) % 2 === 0 ? 'bad' : 'good');
  const closing = new AbortController();

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code.',
    labelNames: ['route', 'method', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method.',
    labelNames: ['route', 'method'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const queryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Time a database query took, by statement name.',
    labelNames: ['query'],
    buckets: QUERY_BUCKETS,
    registers: [registry],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    const match = ROUTES.find(
      (r) => r.method === req.method && new RegExp(`^${r.route.replace(':id', '\\d+')}$`).test(req.url ?? ''),
    );
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const stop = duration.startTimer({ route: match.route, method: match.method });
    const bad = phase() === 'bad';
    const slow = bad && Math.random() < 0.1;
    const wait = (ms: number) => sleep(ms, undefined, { signal: closing.signal }).catch(() => undefined);
    // Observed as simulated, not timed: a busy machine's late timers must not make the demo's database look slow.
    const querySeconds = 0.002 + Math.random() * 0.018;
    await wait(querySeconds * 1000);
    queryDuration.observe({ query: match.query }, querySeconds);
    await wait(slow ? 3_000 + Math.random() * 1_500 : 10 + Math.random() * 90);
    const code = Math.random() < (bad ? 0.2 : 0.002) ? 500 : 200;
    stop();
    requests.inc({ route: match.route, method: match.method, code: String(code) });
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: code === 200 }));
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Fired on a clock rather than one after the other, so slow answers do not lower the rate.
  const traffic = setInterval(() => {
    const target = ROUTES[Math.floor(Math.random() * ROUTES.length)]!;
    void fetch(`${url}${target.path()}`, { method: target.method, signal: closing.signal })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }, 1000 / options.requestsPerSecond);

  return {
    url,
    phase,
    async close() {
      clearInterval(traffic);
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
