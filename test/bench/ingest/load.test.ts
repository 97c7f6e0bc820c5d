import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runLoad } from './load.js';

describe('runLoad', () => {
  it('delivers every item once, never more than `concurrency` at a time', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const delivered: number[] = [];
    const result = await runLoad({
      items: Array.from({ length: 20 }, (_, index) => index * 10),
      concurrency: 3,
      deliver: async (item) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await sleep(2);
        delivered.push(item);
        inFlight--;
      },
    });
    expect(mostInFlight).toBe(3);
    expect(delivered.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(result.latenciesMs).toHaveLength(20);
    expect(Math.min(...result.latenciesMs)).toBeGreaterThan(1);
    expect(result.wallMs).toBeGreaterThanOrEqual(Math.max(...result.latenciesMs));
  });

  it('stops sending after a failure and rethrows it once the deliveries in flight settle', async () => {
    const started: number[] = [];
    let settled = 0;
    const run = runLoad({
      items: Array.from({ length: 100 }, (_, index) => index),
      concurrency: 4,
      deliver: async (index) => {
        started.push(index);
        await sleep(index === 5 ? 1 : 5);
        settled++;
        if (index === 5) throw new Error('intake answered 503');
      },
    });
    await expect(run).rejects.toThrow('intake answered 503');
    expect(settled).toBe(started.length);
    expect(started.length).toBeLessThan(12);
  });

  it('stops sending when aborted', async () => {
    const abort = new AbortController();
    let delivered = 0;
    const run = runLoad({
      items: Array.from({ length: 1000 }, (_, index) => index),
      concurrency: 2,
      signal: abort.signal,
      deliver: async () => {
        if (++delivered === 10) abort.abort(new Error('interrupted by SIGINT'));
        await sleep(1);
      },
    });
    await expect(run).rejects.toThrow('interrupted by SIGINT');
    expect(delivered).toBeLessThanOrEqual(11);
  });
});
