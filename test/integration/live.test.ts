// Live cells over real websockets: `ws` clients against the hub served on loopback,
// querying a fake Prometheus through the real Prometheus client.
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { IncidentBus } from '../../src/domain/incident-bus.js';
import type { AppEnv } from '../../src/http/env.js';
import { apiAuth, type TokenSource } from '../../src/http/middleware/auth.js';
import { liveRoutes } from '../../src/http/routes/live.js';
import { LiveHub } from '../../src/live/hub.js';
import { createLogger } from '../../src/logger.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { API_TOKENS } from '../support/app.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';

const TOKEN = API_TOKENS[0]!.token;
const NOTEBOOK_ORIGIN = 'https://notebook.example.com';

let upstream: FakePrometheus;
let registry: Registry;
let bus: IncidentBus;
let hub: LiveHub;
let server: ServerType;
let baseUrl: string;
const sockets = new Set<WebSocket>();
/** Every network write the server made, as text (see recordWrites). */
const serverWrites: string[] = [];

beforeAll(async () => {
  upstream = await startFakePrometheus();
  registry = new Registry();
  bus = new IncidentBus();
  hub = new LiveHub({
    datasources: new Datasources([{ name: 'default', url: upstream.url, timeoutMs: 2_000 }]),
    registry,
    bus,
    logger: createLogger({ silent: true }),
    limits: { highWaterBytes: 256 * 1024, blockedLimitMs: 1_000, maxMessageBytes: 4 * 1024 },
  });
  // Shaped like createApp: the live route first, then the API whose own auth covers /api/v1/*.
  const app = new Hono<AppEnv>();
  const auth = (token?: TokenSource) => apiAuth({ tokens: API_TOKENS, token });
  const live = liveRoutes({ hub, auth, allowedOrigins: [NOTEBOOK_ORIGIN] });
  app.route('/api/v1', live.routes);
  const api = new Hono<AppEnv>();
  api.use(auth());
  api.get('/whoami', (c) => c.text(c.get('actor')));
  app.route('/api/v1', api);

  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0, websocket: { server: live.webSocketServer } });
  server.on('connection', (socket: Socket) => recordWrites(socket, serverWrites));
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  baseUrl = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  sockets.clear();
  serverWrites.length = 0;
  // Once the hub has seen the closes, no feed of one test polls into the next.
  await expect
    .poll(() => metric('alertbook_live_upstream_keys'), { interval: 10 })
    .toBe('alertbook_live_upstream_keys 0');
  upstream.reset();
});

afterAll(async () => {
  hub.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await upstream.close();
});

/**
 * Records each write `socket` hands to the operating system: node calls the
 * stream implementation's `_write` for one chunk and `_writev` for the chunks
 * gathered while it was corked (or busy), each a single system call.
 */
function recordWrites(socket: Socket, into: string[]): void {
  type Chunk = { chunk: Buffer | string };
  const hooks = socket as unknown as {
    _write(chunk: Buffer | string, encoding: string, callback: () => void): void;
    _writev(chunks: Chunk[], callback: () => void): void;
  };
  const write = hooks._write;
  const writev = hooks._writev;
  hooks._write = function (chunk, encoding, callback) {
    into.push(String(chunk));
    return write.call(this, chunk, encoding, callback);
  };
  hooks._writev = function (chunks, callback) {
    into.push(chunks.map((c) => String(c.chunk)).join(''));
    return writev.call(this, chunks, callback);
  };
}

interface ConnectOptions {
  /** As `Authorization: Bearer`. */
  token?: string;
  /** As the `bearer.<token>` subprotocol, the way a browser sends it. */
  protocolToken?: string;
  origin?: string;
}

/** A connected client that keeps every frame; `next` waits for one matching. */
class LiveTestClient {
  readonly frames: Record<string, any>[] = [];
  private waiters: { match: (f: Record<string, any>) => boolean; resolve: (f: Record<string, any>) => void }[] = [];
  private cursor = 0;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next frame (after the last one `next` returned) that matches. */
  async next(
    match: (frame: Record<string, any>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Record<string, any>> {
    const index = this.frames.findIndex((f, i) => i >= this.cursor && match(f));
    if (index >= 0) {
      this.cursor = index + 1;
      return this.frames[index]!;
    }
    const frame = await Promise.race([
      new Promise<Record<string, any>>((resolve) => this.waiters.push({ match, resolve })),
      sleep(timeoutMs).then(() => {
        throw new Error(
          `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(this.cursor))}`,
        );
      }),
    ]);
    this.cursor = this.frames.indexOf(frame) + 1;
    return frame;
  }

  of(type: string) {
    return this.frames.filter((f) => f.type === type);
  }
}

function open(options: ConnectOptions = { token: TOKEN }): WebSocket {
  const protocols = ['alertbook.v1', ...(options.protocolToken ? [`bearer.${options.protocolToken}`] : [])];
  const socket = new WebSocket(`ws://${baseUrl}/api/v1/live`, protocols, {
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    ...(options.origin ? { origin: options.origin } : {}),
  });
  sockets.add(socket);
  return socket;
}

async function connect(options?: ConnectOptions): Promise<LiveTestClient> {
  const socket = open(options);
  const client = new LiveTestClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await client.next((f) => f.type === 'hello');
  return client;
}

/** The HTTP status a refused upgrade was answered with. */
async function refusal(options: ConnectOptions): Promise<number> {
  const socket = open(options);
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (req, res) => {
      // Expected: this handshake ends here.
      socket.on('error', () => {});
      sockets.delete(socket);
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}

const subscribe = (sub: string, extra: Record<string, unknown> = {}) => ({
  type: 'subscribe',
  sub,
  cell: { query: 'up' },
  range: '1m',
  step: 1,
  refresh: '1s',
  ...extra,
});

const closeCode = (socket: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );

async function metric(name: string): Promise<string> {
  return (await registry.getSingleMetricAsString(name))
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

describe('live: admission', () => {
  it('takes the API token as a header, or as a bearer.<token> subprotocol for browsers', async () => {
    const withHeader = await connect({ token: TOKEN });
    expect(withHeader.frames[0]).toMatchObject({ type: 'hello', version: 1, actor: 'alice' });
    const browser = await connect({ protocolToken: API_TOKENS[1]!.token, origin: NOTEBOOK_ORIGIN });
    expect(browser.frames[0]).toMatchObject({ type: 'hello', actor: 'bob' });
    // The server picks its protocol and never echoes the token back.
    expect(browser.socket.protocol).toBe('alertbook.v1');
  });

  it('refuses a missing or wrong token (401) before opening a socket', async () => {
    expect(await refusal({})).toBe(401);
    expect(await refusal({ origin: `http://${baseUrl}` })).toBe(401);
    expect(await refusal({ token: 'not-a-token', origin: `http://${baseUrl}` })).toBe(401);
    expect(await refusal({ protocolToken: 'not-a-token', origin: NOTEBOOK_ORIGIN })).toBe(401);
  });

  it("refuses a page from a foreign origin even with a valid token, and accepts the server's own", async () => {
    expect(await refusal({ protocolToken: TOKEN, origin: 'https://evil.example' })).toBe(403);
    expect(await refusal({ protocolToken: TOKEN, origin: 'null' })).toBe(403);
    await expect(connect({ protocolToken: TOKEN, origin: `http://${baseUrl}` })).resolves.toBeInstanceOf(
      LiveTestClient,
    );
  });

  it('refuses a plain GET (400)', async () => {
    const res = await fetch(`http://${baseUrl}/api/v1/live`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('live: coalescing and deltas', () => {
  it('asks the upstream once per tick however many clients watch the same cell', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect()));
    for (const client of clients) client.send(subscribe('errors'));
    // Every client receives its first frame, then three more ticks.
    for (const client of clients) await client.next((f) => f.type === 'data' && !f.delta);
    for (let tick = 0; tick < 3; tick++) {
      for (const client of clients) await client.next((f) => f.type === 'data' && f.delta);
    }
    const ranges = upstream.requests.filter((r) => r.path === '/api/v1/query_range');
    // One request per window end: no tick was asked twice, whatever the number of viewers.
    expect(new Set(ranges.map((r) => r.params.end)).size).toBe(ranges.length);
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    expect(ranges.length).toBeLessThanOrEqual(5);
    expect(await metric('alertbook_live_upstream_keys')).toBe('alertbook_live_upstream_keys 1');
  });

  it('writes the frames a client gets in one tick to the network at once', async () => {
    const client = await connect();
    const texts: string[] = [];
    client.socket.on('message', (data) => texts.push(String(data)));
    const subs = ['a', 'b', 'c'];
    for (const sub of subs) client.send(subscribe(sub, { cell: { query: `up{cell="${sub}"}` } }));
    // The hub waits a little (not forever) for a tick's other answers, so on a loaded machine an
    // answer later than that goes out alone; what must happen is that a tick's frames share a write.
    // Unbatched, no write would ever hold more than one frame.
    const tickInOneWrite = () => {
      const deltas = texts.filter((t) => JSON.parse(t).delta === true);
      for (const end of new Set(deltas.map((t) => JSON.parse(t).to))) {
        const ofTick = deltas.filter((t) => JSON.parse(t).to === end);
        if (ofTick.length === subs.length && serverWrites.some((w) => ofTick.every((frame) => w.includes(frame)))) {
          return ofTick;
        }
      }
      throw new Error('no tick yet whose deltas for every subscription went out in one write');
    };
    const ofTick = await vi.waitFor(tickInOneWrite, { timeout: 10_000, interval: 50 });
    expect(new Set(ofTick.map((t) => JSON.parse(t).sub))).toEqual(new Set(subs));
  });

  it('answers a new viewer of a live cell at once from the cached answer', async () => {
    // A one-minute refresh: no tick comes between the two subscriptions.
    const slow = subscribe('s', { refresh: '1m' });
    const first = await connect();
    first.send(slow);
    const answer = await first.next((f) => f.type === 'data');
    const second = await connect();
    second.send(slow);
    expect(await second.next((f) => f.type === 'data')).toEqual(answer);
    expect(upstream.requestCount('query_range')).toBe(1);
  });

  it('sends a full frame first, then only the new points', async () => {
    const client = await connect();
    client.send(subscribe('s'));
    const full = await client.next((f) => f.type === 'data');
    expect(full).toMatchObject({
      sub: 's',
      delta: false,
      resultType: 'matrix',
      step: 1,
      truncated: false,
      totalSeries: 1,
    });
    expect(full.to - full.from).toBe(60);
    expect(full.series).toEqual([{ id: 1, metric: { query: 'up' }, values: expect.any(Array) }]);
    expect(full.series[0].values).toHaveLength(61);

    const delta = await client.next((f) => f.type === 'data');
    expect(delta).toMatchObject({ sub: 's', delta: true, from: full.from + 1, to: full.to + 1 });
    // The fake's sample value is its own timestamp: one new point, at the new end.
    expect(delta.series).toEqual([{ id: 1, values: [[full.to + 1, full.to + 1]] }]);
  });

  it('stops polling once the last subscriber unsubscribes', async () => {
    const client = await connect();
    client.send(subscribe('s'));
    await client.next((f) => f.type === 'data');
    client.send({ type: 'unsubscribe', sub: 's' });
    await expect
      .poll(() => metric('alertbook_live_upstream_keys'), { interval: 10 })
      .toBe('alertbook_live_upstream_keys 0');
    const count = upstream.requestCount('query_range');
    // Longer than the cell's refresh (1 s): a poll still scheduled would have asked again.
    await sleep(2_200);
    expect(upstream.requestCount('query_range')).toBe(count);
  });
});

describe('live: upstream failure', () => {
  it('sends error frames and a down status, then recovers by itself', async () => {
    const client = await connect();
    client.send(subscribe('s'));
    await client.next((f) => f.type === 'data');
    upstream.fault({ kind: 'plain-503' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({
      sub: 's',
      code: 'unavailable',
      retrying: true,
    });
    expect(await client.next((f) => f.type === 'status')).toEqual({
      type: 'status',
      upstream: 'down',
      datasources: { default: 'down' },
    });
    upstream.fault(null);
    expect(await client.next((f) => f.type === 'data', 10_000)).toMatchObject({ sub: 's', delta: true });
    expect(await client.next((f) => f.type === 'status')).toEqual({ type: 'status', upstream: 'ok', datasources: {} });
  });
});

describe('live: client mistakes', () => {
  it('answers malformed messages with an error frame and keeps the socket usable', async () => {
    const client = await connect();
    client.send('{"type":"subscribe"');
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid_json' });
    client.send({ type: 'subscribe', sub: 'x', cell: { query: 'up' }, range: 'a while' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({
      code: 'invalid_message',
      sub: 'x',
      field: 'range',
    });
    client.send({ type: 'nope' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'unknown_type', field: 'type' });
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
    client.send(subscribe('ok'));
    expect(await client.next((f) => f.type === 'data')).toMatchObject({ sub: 'ok' });
  });

  it('closes with 1009 on a message over the size limit, before buffering it', async () => {
    const client = await connect();
    const closed = closeCode(client.socket);
    client.send({ type: 'subscribe', sub: 'big', cell: { query: `up${' '.repeat(5_000)}` } });
    expect((await closed).code).toBe(1009);
  });
});

describe('live: slow consumers', () => {
  it('never queues for a client that stops reading, and closes it with 4008 past the limit', async () => {
    // A big answer: 50 series × 1,001 points, a full frame of about 1 MB.
    upstream.answer(({ params }) => {
      const values: [number, string][] = [];
      for (let t = Number(params.start); t <= Number(params.end); t += Number(params.step)) values.push([t, String(t)]);
      return {
        data: {
          resultType: 'matrix',
          result: Array.from({ length: 50 }, (_, i) => ({ metric: { i: String(i) }, values })),
        },
      };
    });
    const big = subscribe('big', { range: 1000 });
    const fast = await connect();
    fast.send(big);
    await fast.next((f) => f.type === 'data', 10_000);

    const slow = await connect();
    slow.socket.pause();
    const closed = closeCode(slow.socket);
    // Each subscription is answered at once with the cached full frame: together far
    // more than the socket buffers hold once the client stops reading.
    for (let i = 0; i < 40; i++) slow.send({ ...big, sub: `big-${i}` });
    await expect
      .poll(() => metric('alertbook_live_slow_clients_closed_total'), { timeout: 10_000 })
      .toBe('alertbook_live_slow_clients_closed_total 1');
    expect(await metric('alertbook_live_frames_dropped_total')).toMatch(/type="data"} [1-9]/);
    // Once it reads again it finds what was written before it fell behind, then the reason.
    slow.socket.resume();
    expect(await closed).toEqual({ code: 4008, reason: 'slow consumer: not reading for 1 s' });
    // The other viewer of the same cell was not held up.
    expect(await fast.next((f) => f.type === 'data' && f.delta)).toMatchObject({ sub: 'big' });
  }, 30_000);
});

describe('live: incidents', () => {
  it('forwards timeline changes of watched incidents', async () => {
    const client = await connect();
    client.send({ type: 'watch', incidents: [7] });
    await sleep(50);
    bus.publish({ incidentId: 8, types: ['note.added'] });
    bus.publish({ incidentId: 7, types: ['step.checked'] });
    expect(await client.next((f) => f.type === 'incident')).toEqual({
      type: 'incident',
      incidentId: 7,
      types: ['step.checked'],
    });
  });
});
