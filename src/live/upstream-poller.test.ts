import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PrometheusError } from '../prometheus/errors.js';
import type { QueryResult } from '../prometheus/types.js';
import { systemTimers } from './timers.js';
import { UpstreamPoller, type PollerOptions, type RangeQueries } from './upstream-poller.js';
import type { UpstreamQuery } from './upstream-query.js';

const T0 = 1_700_000_000_000;
const EMPTY: QueryResult = { resultType: 'matrix', series: [], truncated: false, totalSeries: 0, warnings: [] };

interface Call {
  input: Parameters<RangeQueries['range']>[0];
  at: number;
  answer(result?: QueryResult): Promise<void>;
  fail(error: Error): Promise<void>;
}

/** A datasource whose every request waits until the test answers it. */
function heldSource() {
  const calls: Call[] = [];
  const source: RangeQueries = {
    range: (input) =>
      new Promise((resolve, reject) => {
        calls.push({
          input,
          at: Date.now(),
          answer: async (result = EMPTY) => {
            resolve(result);
            await vi.advanceTimersByTimeAsync(0);
          },
          fail: async (error) => {
            reject(error);
            await vi.advanceTimersByTimeAsync(0);
          },
        });
      }),
  };
  return { calls, source };
}

function poller(query: Partial<UpstreamQuery>, overrides: Partial<PollerOptions> = {}) {
  const held = heldSource();
  const events = { onAnswer: vi.fn(), onFailure: vi.fn(), onRequest: vi.fn(), onSettled: vi.fn() };
  const instance = new UpstreamPoller(
    { datasource: 'default', query: 'up', step: 1, window: { kind: 'sliding', range: 60 }, ...query },
    {
      source: held.source,
      timers: systemTimers,
      random: () => 0.999_999,
      backoff: { initialMs: 1_000, maxMs: 8_000 },
      maxPoints: 2_000,
      intervalMs: 1_000,
      ...events,
      ...overrides,
    },
  );
  return { poller: instance, ...held, ...events };
}

const unavailable = () => new PrometheusError('unavailable', 'Service Unavailable', { status: 503, retryable: true });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0 + 500);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UpstreamPoller', () => {
  it('queries at once, then just after every interval boundary, with the window ending on it', async () => {
    const { poller: p, calls, onAnswer, onSettled } = poller({});
    p.start();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.input).toMatchObject({ query: 'up', start: T0 / 1000 - 60, end: T0 / 1000, step: 1 });
    await calls[0]!.answer();
    expect(onAnswer).toHaveBeenCalledWith({ result: EMPTY, start: T0 / 1000 - 60, end: T0 / 1000 });
    expect(onSettled).toHaveBeenCalledWith('ok', 0);

    await vi.advanceTimersByTimeAsync(509);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at).toBe(T0 + 1_010);
    expect(calls[1]!.input.end).toBe(T0 / 1000 + 1);
    p.stop();
  });

  it('never has two requests in flight: a slow answer delays the next tick', async () => {
    const { poller: p, calls } = poller({});
    p.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
    await calls[0]!.answer();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at).toBe(T0 + 6_010);
    p.stop();
  });

  it('backs off exponentially while the upstream fails, then returns to the interval', async () => {
    const { poller: p, calls, onFailure, onSettled } = poller({});
    p.start();
    for (let i = 0; i < 4; i++) {
      await calls[i]!.fail(unavailable());
      await vi.advanceTimersToNextTimerAsync();
    }
    // Jitter pinned to the top of each ceiling: 1 s, 2 s, 4 s, 8 s.
    const gaps = calls.slice(1, 5).map((call, i) => call.at - calls[i]!.at);
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(onFailure).toHaveBeenLastCalledWith({
      code: 'unavailable',
      message: 'Service Unavailable',
      retryable: true,
    });
    expect(onSettled).toHaveBeenCalledWith('unavailable', 0);

    await calls[4]!.answer();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls[5]!.at - calls[4]!.at).toBeLessThanOrEqual(1_010);
    p.stop();
  });

  it('stops asking after a failure a retry cannot fix', async () => {
    const { poller: p, calls, onFailure } = poller({});
    p.start();
    const parseError = new PrometheusError('bad_data', '1:4: parse error: unexpected end of input', {
      status: 400,
      position: { line: 1, column: 4 },
    });
    await calls[0]!.fail(parseError);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(onFailure).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'bad_data', retryable: false, position: { line: 1, column: 4 } }),
    );
  });

  it('queries a fixed window once, retrying only until the first answer', async () => {
    const { poller: p, calls } = poller({ window: { kind: 'fixed', start: 1_000, end: 2_000 } });
    p.start();
    await calls[0]!.fail(unavailable());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.input).toMatchObject({ start: 1_000, end: 2_000 });
    await calls[1]!.answer();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('abandons the request in flight when stopped, settling it as canceled and reporting nothing after', async () => {
    const { poller: p, calls, onAnswer, onRequest, onSettled } = poller({});
    p.start();
    await vi.advanceTimersByTimeAsync(200);
    p.stop();
    expect(calls[0]!.input.signal?.aborted).toBe(true);
    await calls[0]!.answer();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onAnswer).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
    expect(onRequest).toHaveBeenCalledTimes(1);
    expect(onSettled.mock.calls).toEqual([['canceled', 0.2]]);
  });

  it('moves to a faster interval at once', async () => {
    const { poller: p, calls } = poller({}, { intervalMs: 60_000 });
    p.start();
    await calls[0]!.answer();
    p.setIntervalMs(1_000);
    await vi.advanceTimersByTimeAsync(510);
    expect(calls).toHaveLength(2);
    p.stop();
  });

  it('reports an unexpected error as internal and keeps retrying', async () => {
    const { poller: p, calls, onFailure } = poller({});
    p.start();
    const bug = new TypeError('x is undefined');
    await calls[0]!.fail(bug);
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ code: 'internal', retryable: true, cause: bug }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    p.stop();
  });
});
