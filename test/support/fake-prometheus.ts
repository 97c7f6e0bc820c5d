import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it; GET query string and POST form body merged into `params`. */
export interface ReceivedRequest {
  method: string;
  /** Path without the query string, prefix included, e.g. `/api/v1/query_range`. */
  path: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
}

/** What goes wrong, for the requests it applies to. */
export type Fault =
  /** Answers normally, `delayMs` late. */
  | { kind: 'slow'; delayMs: number }
  /** Prometheus' JSON error envelope, e.g. `{ status: 422, errorType: 'execution', error: '…' }`. */
  | { kind: 'error'; status: number; errorType: string; error: string }
  /** `Service Unavailable` as plain text, what Prometheus says while starting or stopping. */
  | { kind: 'plain-503' }
  /** Any body, e.g. a proxy's HTML 502 page. */
  | { kind: 'raw'; status: number; contentType: string; body: string }
  /** HTTP 200 with JSON cut off mid-way. */
  | { kind: 'malformed-json' }
  /** Never answers; the connection stays open until the client gives up or the fake closes. */
  | { kind: 'hang' }
  /** Drops the connection without an answer: a network error for the client. */
  | { kind: 'reset' };

/** The `data` (and optional warnings/infos) of a success envelope for a request. */
export type Answer = (request: ReceivedRequest) => { data: unknown; warnings?: string[]; infos?: string[] };

export interface FakePrometheus {
  /** Base URL including the path prefix, e.g. `http://127.0.0.1:41234` or `…/prometheus`. */
  url: string;
  /** Every request received so far, faulty ones included, oldest first. */
  readonly requests: readonly ReceivedRequest[];
  /** How many requests arrived, optionally only for one endpoint: `'query'` or `'query_range'`. */
  requestCount(endpoint?: 'query' | 'query_range'): number;
  /** Applies a fault to every following request, or only to the next `times` ones; `null` heals. */
  fault(fault: Fault | null, options?: { times?: number }): void;
  /** Replaces how successful requests are answered (default: `defaultAnswer`). */
  answer(answer: Answer): void;
  /** Forgets requests and faults, restores the default answer. */
  reset(): void;
  /** Stops listening and drops open (also hanging) connections. */
  close(): Promise<void>;
}

/**
 * Every series' sample value is its own timestamp, so successive ticks and
 * windows are easy to assert. Range: one series `{query}` sampled at
 * start, start+step, …, ≤ end. Instant: one sample at `time` (default now).
 */
export const defaultAnswer: Answer = ({ path, params }) => {
  const metric = { query: params.query ?? '' };
  if (path.endsWith('/query_range')) {
    const start = Number(params.start);
    const end = Number(params.end);
    const step = Number(params.step);
    const values: [number, string][] = [];
    for (let t = start; t <= end; t += step) values.push([t, String(t)]);
    return { data: { resultType: 'matrix', result: [{ metric, values }] } };
  }
  const time = params.time === undefined ? Date.now() / 1000 : Number(params.time);
  return { data: { resultType: 'vector', result: [{ metric, value: [time, String(time)] }] } };
};

const ENDPOINTS = ['query', 'query_range'] as const;

/**
 * A node:http stand-in for a Prometheus-compatible server on a loopback
 * ephemeral port, with scriptable faults and a request log. Unknown paths
 * get Go's plain-text `404 page not found`.
 */
export async function startFakePrometheus(
  options: { pathPrefix?: string; answer?: Answer } = {},
): Promise<FakePrometheus> {
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const requests: ReceivedRequest[] = [];
  let answer = options.answer ?? defaultAnswer;
  let fault: { fault: Fault; remaining: number } | null = null;
  const timers = new Set<NodeJS.Timeout>();

  const nextFault = (): Fault | null => {
    if (!fault) return null;
    const current = fault.fault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) fault = null;
    return current;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(url.searchParams);
    if (req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
    }
    const endpoint = ENDPOINTS.find((name) => url.pathname === `${prefix}/api/v1/${name}`);
    if (!endpoint) return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');

    const request: ReceivedRequest = { method: req.method ?? 'GET', path: url.pathname, params, headers: req.headers };
    requests.push(request);
    const current = nextFault();
    const answerNow = () =>
      send(res, 200, 'application/json', JSON.stringify({ status: 'success', ...answer(request) }));
    switch (current?.kind) {
      case undefined:
        return answerNow();
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answerNow();
        }, current.delayMs);
        timers.add(timer);
        return;
      }
      case 'error':
        return send(
          res,
          current.status,
          'application/json',
          JSON.stringify({ status: 'error', errorType: current.errorType, error: current.error }),
        );
      case 'plain-503':
        res.setHeader('X-Prometheus-Stopping', 'false');
        return send(res, 503, 'text/plain; charset=utf-8', 'Service Unavailable');
      case 'raw':
        return send(res, current.status, current.contentType, current.body);
      case 'malformed-json':
        return send(
          res,
          200,
          'application/json',
          '{"status":"success","data":{"resultType":"matrix","result":[{"metric":',
        );
      case 'hang':
        return;
      case 'reset':
        return req.socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    requestCount: (endpoint) =>
      endpoint ? requests.filter((r) => r.path === `${prefix}/api/v1/${endpoint}`).length : requests.length,
    fault(next, { times = Infinity } = {}) {
      fault = next ? { fault: next, remaining: times } : null;
    },
    answer(next) {
      answer = next;
    },
    reset() {
      requests.length = 0;
      fault = null;
      answer = options.answer ?? defaultAnswer;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}
