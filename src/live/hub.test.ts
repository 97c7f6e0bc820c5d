import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IncidentBus } from '../domain/incident-bus.js';
import { createLogger } from '../logger.js';
import { PrometheusError } from '../prometheus/errors.js';
import type { QueryResult } from '../prometheus/types.js';
import { LiveHub, type LiveHubOptions } from './hub.js';
import type { LiveSocket } from './live-client.js';
import type { IncidentCellWindow } from './subscription-target.js';
import type { RangeQueries } from './upstream-poller.js';

const T0 = 1_700_000_000_000;

/** Records what the hub writes; `bufferedAmount` is set by tests to play a slow reader. */
class FakeSocket implements LiveSocket {
  frames: Record<string, any>[] = [];
  bufferedAmount = 0;
  closed: { code: number; reason: string } | null = null;
  pings = 0;
  terminated = false;
  /** How many frames each batch() wrote. */
  batches: number[] = [];
  send(text: string) {
    this.frames.push(JSON.parse(text));
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.terminated = true;
  }
  batch(write: () => void) {
    const before = this.frames.length;
    write();
    this.batches.push(this.frames.length - before);
  }
  of(type: string) {
    return this.frames.filter((f) => f.type === type);
  }
  take() {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }
}

type RangeInput = Parameters<RangeQueries['range']>[0];

/**
 * Datasources `default` and `thanos`, answering one series valued 1 at every step of the window;
 * queries in `state.delays` answer that many ms late (Infinity: never).
 */
function fakeDatasources() {
  const requests: (RangeInput & { datasource: string })[] = [];
  const state: { failure: Error | null; delays: Map<string, number> } = { failure: null, delays: new Map() };
  const answer = ({ start, end, step }: RangeInput): QueryResult => {
    const values: [number, number][] = [];
    for (let t = start; t <= end; t += step) values.push([t, 1]);
    return {
      resultType: 'matrix',
      series: [{ metric: { job: 'api' }, values }],
      truncated: false,
      totalSeries: 1,
      warnings: [],
    };
  };
  return {
    requests,
    state,
    lookup: {
      get(name = 'default'): RangeQueries {
        if (name !== 'default' && name !== 'thanos')
          throw new PrometheusError('unknown_datasource', `no datasource named "${name}"`);
        return {
          range: async (input) => {
            requests.push({ datasource: name, ...input });
            const delay = state.delays.get(input.query);
            if (delay !== undefined) await new Promise((resolve) => delay < Infinity && setTimeout(resolve, delay));
            if (state.failure) throw state.failure;
            return answer(input);
          },
        };
      },
    },
  };
}

let upstream: ReturnType<typeof fakeDatasources>;
let registry: Registry;
let bus: IncidentBus;
let hub: LiveHub;

function startHub(options: Partial<LiveHubOptions> = {}) {
  hub = new LiveHub({
    datasources: upstream.lookup,
    registry,
    bus,
    logger: createLogger({ silent: true }),
    random: () => 0.5,
    ...options,
    limits: { blockedLimitMs: 1_000, ...options.limits },
  });
  return hub;
}

function connect(actor = 'alice') {
  const socket = new FakeSocket();
  const connection = hub.connect(socket, actor);
  const send = async (message: unknown) => {
    connection.receive(typeof message === 'string' ? message : JSON.stringify(message));
    // Answers are fanned out on the next turn of the event loop.
    await vi.advanceTimersByTimeAsync(1);
  };
  return { socket, connection, send };
}

const subscribeUp = (sub = 's1', extra: Record<string, unknown> = {}) => ({
  type: 'subscribe',
  sub,
  cell: { query: 'up' },
  range: 60,
  step: 1,
  refresh: 1,
  ...extra,
});

async function metric(name: string): Promise<string> {
  return (await registry.getSingleMetricAsString(name))
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

/** Runs the clock past the next whole second, where every 1 s feed ticks, and the fan-out that follows. */
async function nextTick() {
  await vi.advanceTimersByTimeAsync(1_000 - (Date.now() % 1_000) + 20);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0 + 500);
  upstream = fakeDatasources();
  registry = new Registry();
  bus = new IncidentBus();
});
afterEach(() => {
  hub?.close();
  vi.useRealTimers();
});

describe('LiveHub: connecting', () => {
  it('greets with the protocol version, the limits and the upstream status', () => {
    startHub();
    const { socket } = connect('alice');
    expect(socket.frames).toEqual([
      {
        type: 'hello',
        version: 1,
        actor: 'alice',
        limits: { maxSubscriptions: 50, maxMessageBytes: 16_384, maxWatchedIncidents: 100 },
      },
      { type: 'status', upstream: 'ok', datasources: {} },
    ]);
  });

  it('turns a client away with 1013 beyond maxClients', () => {
    startHub({ limits: { maxClients: 1 } });
    connect();
    expect(hub.acceptsClients()).toBe(false);
    expect(connect().socket.closed).toEqual({ code: 1013, reason: 'too many live clients; retry later' });
  });
});

describe('LiveHub: coalescing', () => {
  it('asks the upstream once per tick for identical subscriptions, whoever asks', async () => {
    startHub();
    const clients = [connect(), connect(), connect()];
    for (const client of clients) await client.send(subscribeUp());
    expect(upstream.requests).toHaveLength(1);
    await nextTick();
    await nextTick();
    expect(upstream.requests).toHaveLength(3);
    for (const { socket } of clients) expect(socket.of('data')).toHaveLength(3);
    expect(await metric('alertbook_live_upstream_keys')).toBe('alertbook_live_upstream_keys 1');
    expect(await metric('alertbook_live_subscriptions')).toBe('alertbook_live_subscriptions 3');
    expect(await metric('alertbook_live_upstream_queries_total')).toBe(
      'alertbook_live_upstream_queries_total{datasource="default",outcome="ok"} 3',
    );
  });

  it('gives a new subscriber the cached answer at once, without asking the upstream', async () => {
    startHub();
    await connect().send(subscribeUp());
    const late = connect();
    late.socket.take();
    await late.send(subscribeUp('mine'));
    expect(upstream.requests).toHaveLength(1);
    expect(late.socket.frames).toEqual([expect.objectContaining({ type: 'data', sub: 'mine', delta: false })]);
  });

  it('keeps different datasources, ranges and steps apart, and polls at the fastest refresh asked', async () => {
    startHub();
    const { send } = connect();
    await send(subscribeUp('a', { refresh: 5 }));
    await send(subscribeUp('b', { refresh: 5, range: '2m' }));
    await send(subscribeUp('c', { refresh: 5, cell: { query: 'up', datasource: 'thanos' } }));
    expect(upstream.requests.map((r) => [r.datasource, r.end - r.start])).toEqual([
      ['default', 60],
      ['default', 120],
      ['thanos', 60],
    ]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(upstream.requests).toHaveLength(6);
    await connect().send(subscribeUp('fast', { refresh: 1 }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(upstream.requests.filter((r) => r.datasource === 'default' && r.end - r.start === 60)).toHaveLength(4);
  });

  it('stops polling a query when its last subscriber unsubscribes or leaves', async () => {
    startHub();
    const first = connect();
    const second = connect();
    await first.send(subscribeUp());
    await second.send(subscribeUp());
    await first.send({ type: 'unsubscribe', sub: 's1' });
    await nextTick();
    expect(upstream.requests).toHaveLength(2);
    second.connection.closed();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(upstream.requests).toHaveLength(2);
    expect(await metric('alertbook_live_upstream_keys')).toBe('alertbook_live_upstream_keys 0');
    expect(await metric('alertbook_live_clients')).toBe('alertbook_live_clients 1');
  });
});

describe('LiveHub: frames', () => {
  it('sends a full frame first, then only the new points', async () => {
    startHub();
    const { socket, send } = connect();
    await send(subscribeUp());
    const [full] = socket.of('data');
    expect(full).toEqual({
      type: 'data',
      sub: 's1',
      delta: false,
      resultType: 'matrix',
      from: T0 / 1000 - 60,
      to: T0 / 1000,
      step: 1,
      series: [{ id: 1, metric: { job: 'api' }, values: expect.any(Array) }],
      truncated: false,
      totalSeries: 1,
    });
    expect(full!.series[0].values).toHaveLength(61);
    await nextTick();
    expect(socket.of('data')[1]).toEqual({
      type: 'data',
      sub: 's1',
      delta: true,
      resultType: 'matrix',
      from: T0 / 1000 - 59,
      to: T0 / 1000 + 1,
      step: 1,
      series: [{ id: 1, values: [[T0 / 1000 + 1, 1]] }],
      truncated: false,
      totalSeries: 1,
    });
  });

  it('replaces a subscription sent again under the same sub', async () => {
    startHub();
    const { socket, send } = connect();
    await send(subscribeUp());
    await send(subscribeUp('s1', { range: 120 }));
    const data = socket.of('data');
    expect(data.map((f) => [f.delta, f.to - f.from])).toEqual([
      [false, 60],
      [false, 120],
    ]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(new Set(upstream.requests.slice(2).map((r) => r.end - r.start))).toEqual(new Set([120]));
  });
});

describe('LiveHub: fan-out', () => {
  it("sends a client the answers of one tick in one write, waiting briefly for the tick's slower queries", async () => {
    startHub();
    // Ticking at +10 ms: `up` answers at +15, `slow` at +25.
    upstream.state.delays.set('up', 5).set('slow', 15);
    const { socket, send } = connect();
    await send(subscribeUp('a'));
    await send(subscribeUp('b', { cell: { query: 'slow' } }));
    await vi.advanceTimersByTimeAsync(100);
    socket.batches = [];
    await nextTick();
    expect(socket.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(socket.batches).toEqual([2]);
  });

  it('does not hold answers back for a query that hangs', async () => {
    startHub();
    upstream.state.delays.set('up', 5).set('hangs', Infinity);
    const { socket, send } = connect();
    await send(subscribeUp('a'));
    await send(subscribeUp('b', { cell: { query: 'hangs' } }));
    await vi.advanceTimersByTimeAsync(100);
    socket.take();
    await nextTick();
    expect(socket.frames).toEqual([]);
    // Answered at +15 ms, sent 25 ms later without waiting for the hanging query.
    await vi.advanceTimersByTimeAsync(20);
    expect(socket.of('data').map((f) => f.sub)).toEqual(['a']);
  });
});

describe('LiveHub: upstream failures', () => {
  it('tells subscribers once, reports the upstream down, backs off and recovers by itself', async () => {
    startHub();
    const { socket, send } = connect();
    await send(subscribeUp());
    socket.take();
    upstream.state.failure = new PrometheusError('network', 'connect ECONNREFUSED 127.0.0.1:9090', { retryable: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.take()).toEqual([
      { type: 'error', sub: 's1', code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9090', retrying: true },
      { type: 'status', upstream: 'down', datasources: { default: 'down' } },
    ]);
    // Backing off (random pinned at 0.5: 0.75 s, 1.5 s, 3 s, 6 s… never faster than the 1 s refresh).
    expect(upstream.requests.length).toBeLessThan(7);

    upstream.state.failure = null;
    await vi.advanceTimersByTimeAsync(12_000);
    const recovered = socket.take();
    expect(recovered[0]).toMatchObject({ type: 'data', sub: 's1', delta: true });
    expect(recovered[1]).toEqual({ type: 'status', upstream: 'ok', datasources: {} });
    expect(await metric('alertbook_live_upstream_queries_total')).toContain(
      'alertbook_live_upstream_queries_total{datasource="default",outcome="network"}',
    );
  });

  it('reports a query the upstream rejects without blaming the upstream, and stops asking', async () => {
    startHub();
    upstream.state.failure = new PrometheusError('bad_data', '1:3: parse error: unexpected end of input', {
      status: 400,
      position: { line: 1, column: 3 },
    });
    const { socket, send } = connect();
    socket.take();
    await send(subscribeUp('bad', { cell: { query: 'up{' } }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.take()).toEqual([
      {
        type: 'error',
        sub: 'bad',
        code: 'bad_data',
        message: '1:3: parse error: unexpected end of input',
        retrying: false,
        position: { line: 1, column: 3 },
      },
    ]);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('LiveHub: client mistakes', () => {
  it('answers malformed messages with an error frame and keeps serving the socket', async () => {
    startHub();
    const { socket, send, connection } = connect();
    socket.take();
    await send('not json');
    await send({ type: 'subscribe', sub: 'x', cell: { query: 'up' }, step: 'soon' });
    connection.receive(new ArrayBuffer(2));
    await send({ type: 'ping' });
    expect(socket.take()).toEqual([
      { type: 'error', code: 'invalid_json', message: expect.stringMatching(/^not JSON/) },
      {
        type: 'error',
        code: 'invalid_message',
        sub: 'x',
        field: 'step',
        message: expect.stringMatching(/^step: "soon" is not a duration/),
      },
      { type: 'error', code: 'binary_not_supported', message: 'messages are JSON text frames' },
      { type: 'pong' },
    ]);
  });

  it('refuses an unknown datasource and subscriptions beyond the cap', async () => {
    startHub({ limits: { maxSubscriptionsPerClient: 1 } });
    const { socket, send } = connect();
    socket.take();
    await send(subscribeUp('a', { cell: { query: 'up', datasource: 'nope' } }));
    await send(subscribeUp('b'));
    await send(subscribeUp('c'));
    expect(socket.of('error')).toEqual([
      { type: 'error', sub: 'a', code: 'unknown_datasource', message: 'no datasource named "nope"' },
      {
        type: 'error',
        sub: 'c',
        code: 'too_many_subscriptions',
        message: 'at most 1 subscriptions per connection; unsubscribe first',
      },
    ]);
    expect(socket.of('data').map((f) => f.sub)).toEqual(['b']);
  });
});

describe('LiveHub: backpressure', () => {
  it('skips a backed-up socket, then sends it the latest state in full once it drains', async () => {
    startHub({ limits: { blockedLimitMs: 10_000 } });
    const slow = connect();
    const fast = connect();
    await slow.send(subscribeUp());
    await fast.send(subscribeUp());
    slow.socket.take();
    slow.socket.bufferedAmount = 2 * 1024 * 1024;
    await nextTick();
    await nextTick();
    expect(slow.socket.frames).toEqual([]);
    expect(fast.socket.of('data')).toHaveLength(3);
    expect(await metric('alertbook_live_frames_dropped_total')).toBe(
      'alertbook_live_frames_dropped_total{type="data"} 2',
    );

    slow.socket.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(100);
    expect(slow.socket.take()).toEqual([expect.objectContaining({ type: 'data', delta: false, to: T0 / 1000 + 2 })]);
    await nextTick();
    expect(slow.socket.take()).toEqual([expect.objectContaining({ type: 'data', delta: true })]);
  });

  it('closes a socket that stays backed up past the limit with 4008', async () => {
    startHub();
    const slow = connect();
    await slow.send(subscribeUp());
    slow.socket.bufferedAmount = 2 * 1024 * 1024;
    await nextTick();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(slow.socket.closed).toEqual({ code: 4008, reason: 'slow consumer: not reading for 1 s' });
    const before = upstream.requests.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(upstream.requests).toHaveLength(before);
    expect(await metric('alertbook_live_slow_clients_closed_total')).toBe('alertbook_live_slow_clients_closed_total 1');
  });

  it('holds back status and incident frames too, sending only the newest once drained', async () => {
    startHub();
    const slow = connect();
    await slow.send({ type: 'watch', incidents: 'all' });
    slow.socket.take();
    slow.socket.bufferedAmount = 2 * 1024 * 1024;
    bus.publish({ incidentId: 4, types: ['note.added'] });
    bus.publish({ incidentId: 4, types: ['step.checked'] });
    slow.socket.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(100);
    expect(slow.socket.take()).toEqual([{ type: 'incident', incidentId: 4, types: ['note.added', 'step.checked'] }]);
  });
});

describe('LiveHub: incidents', () => {
  it('forwards timeline changes to the clients watching that incident', async () => {
    startHub();
    const all = connect();
    const some = connect();
    const none = connect();
    await all.send({ type: 'watch', incidents: 'all' });
    await some.send({ type: 'watch', incidents: [2] });
    for (const c of [all, some, none]) c.socket.take();
    bus.publish({ incidentId: 1, types: ['incident.opened'] });
    bus.publish({ incidentId: 2, types: ['note.added'] });
    expect(all.socket.frames.map((f) => f.incidentId)).toEqual([1, 2]);
    expect(some.socket.frames).toEqual([{ type: 'incident', incidentId: 2, types: ['note.added'] }]);
    expect(none.socket.frames).toEqual([]);
  });

  it('queries an incident cell over its window, and switches to a fixed window when it resolves', async () => {
    // Fired for 5 min: the chart begins max(30 min, 3 × 5 min) = 30 min before it.
    const startedAt = T0 / 1000 - 300;
    let cell: IncidentCellWindow = {
      query: 'rate(errors[5m])',
      datasource: 'default',
      incidentStart: startedAt,
      end: null,
      // 35 points over the window: too few, the step is chosen for about 300 instead.
      step: 60,
    };
    const resolveIncidentCell = vi.fn(async () => cell);
    startHub({ resolveIncidentCell });
    const { socket, send } = connect();
    await send({ type: 'subscribe', sub: 'c', cell: { incidentId: 9, cellId: 'errors' } });
    expect(resolveIncidentCell).toHaveBeenCalledWith(9, 'errors');
    expect(upstream.requests[0]).toMatchObject({
      query: 'rate(errors[5m])',
      start: startedAt - 1800,
      end: T0 / 1000,
      step: 10,
    });

    cell = { ...cell, end: T0 / 1000 + 5 };
    bus.publish({ incidentId: 9, types: ['incident.resolved'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(upstream.requests[1]).toMatchObject({ start: startedAt - 1800, end: T0 / 1000 + 10, step: 10 });
    expect(socket.of('data').map((f) => f.delta)).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(upstream.requests).toHaveLength(2);
  });

  it('reports an incident cell that cannot be resolved, and forgets the subscription', async () => {
    startHub({
      resolveIncidentCell: async () =>
        Promise.reject(new PrometheusError('unknown_datasource', 'no datasource named "x"')),
    });
    const { socket, send } = connect();
    socket.take();
    await send({ type: 'subscribe', sub: 'c', cell: { incidentId: 9, cellId: 'errors' } });
    expect(socket.frames).toEqual([
      { type: 'error', sub: 'c', code: 'unknown_datasource', message: 'no datasource named "x"' },
    ]);
    expect(await metric('alertbook_live_subscriptions')).toBe('alertbook_live_subscriptions 0');
  });

  it('drops a subscription unsubscribed while its cell was still being resolved', async () => {
    let release!: (cell: IncidentCellWindow) => void;
    startHub({ resolveIncidentCell: () => new Promise((resolve) => (release = resolve)) });
    const { socket, send } = connect();
    await send({ type: 'subscribe', sub: 'c', cell: { incidentId: 9, cellId: 'errors' } });
    await send({ type: 'unsubscribe', sub: 'c' });
    release({ query: 'up', datasource: 'default', incidentStart: T0 / 1000, end: null });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(upstream.requests).toHaveLength(0);
    expect(socket.of('data')).toEqual([]);
  });
});

describe('LiveHub: heartbeat and shutdown', () => {
  it('pings every client and drops one that did not answer the previous ping', async () => {
    startHub({ limits: { heartbeatMs: 1_000 } });
    const answering = connect();
    const silent = connect();
    await vi.advanceTimersByTimeAsync(1_000);
    answering.connection.pong();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(answering.socket.pings).toBe(2);
    expect(silent.socket.terminated).toBe(true);
    expect(answering.socket.terminated).toBe(false);
  });

  it('closes every client with 1001 and stops polling', async () => {
    startHub();
    const { socket, send } = connect();
    await send(subscribeUp());
    hub.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(upstream.requests).toHaveLength(1);
  });
});
