import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const policy = { initialMs: 1_000, maxMs: 8_000 };

describe('backoffDelay', () => {
  it('doubles per failure up to the cap, drawing from the upper half of each ceiling', () => {
    const lowest = (failures: number) => backoffDelay(failures, policy, () => 0);
    const highest = (failures: number) => backoffDelay(failures, policy, () => 0.999_999);
    expect([1, 2, 3, 4, 5, 9].map(lowest)).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5, 9].map(highest)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('spreads clients that failed together', () => {
    const delays = new Set([0.1, 0.4, 0.7].map((r) => backoffDelay(3, policy, () => r)));
    expect(delays.size).toBe(3);
  });
});
