import { describe, expect, it } from 'vitest';
import { liveStep, upstreamKey, upstreamQuery, windowAt, type UpstreamQuery } from './upstream-query.js';

const base = { datasource: 'default', query: 'up' };

describe('windowAt', () => {
  it('ends a sliding window on the last step boundary and starts it a whole number of steps before', () => {
    const query: UpstreamQuery = { ...base, step: 15, window: { kind: 'sliding', range: 3600 } };
    expect(windowAt(query, 1_700_000_007.9, 2000)).toEqual({ start: 1_699_996_395, end: 1_699_999_995 });
    // Same boundary a few seconds later: the same window, so a tick adds nothing twice.
    expect(windowAt(query, 1_700_000_009.99, 2000)).toEqual(windowAt(query, 1_700_000_007.9, 2000));
  });

  it('keeps millisecond precision with fractional steps', () => {
    const query: UpstreamQuery = { ...base, step: 0.1, window: { kind: 'sliding', range: 1 } };
    expect(windowAt(query, 1_700_000_000.35, 2000)).toEqual({ start: 1_699_999_999.3, end: 1_700_000_000.3 });
  });

  it('grows a since-window from its start, keeping the newest maxPoints points', () => {
    const query = upstreamQuery({ ...base, step: 60, window: { kind: 'since', start: 1_000_030 } });
    expect(query.window).toEqual({ kind: 'since', start: 1_000_020 });
    expect(windowAt(query, 1_003_630, 2000)).toEqual({ start: 1_000_020, end: 1_003_620 });
    // 100 points at most: 99 steps before the end.
    expect(windowAt(query, 1_800_030, 100)).toEqual({ start: 1_800_000 - 99 * 60, end: 1_800_000 });
  });

  it('widens a fixed window outwards to step boundaries', () => {
    const query = upstreamQuery({ ...base, step: 60, window: { kind: 'fixed', start: 1_000_030, end: 1_003_610 } });
    expect(windowAt(query, 2_000_000, 2000)).toEqual({ start: 1_000_020, end: 1_003_620 });
  });
});

describe('upstreamKey', () => {
  it('is equal for windows that align to the same grid, and differs by any other part', () => {
    const since = (start: number) =>
      upstreamKey(upstreamQuery({ ...base, step: 60, window: { kind: 'since', start } }));
    expect(since(1_000_030)).toBe(since(1_000_050));
    expect(since(1_000_030)).not.toBe(since(1_000_090));
    const sliding = { ...base, step: 15, window: { kind: 'sliding', range: 3600 } } as const;
    expect(upstreamKey(sliding)).not.toBe(upstreamKey({ ...sliding, datasource: 'other' }));
    expect(upstreamKey(sliding)).not.toBe(upstreamKey({ ...sliding, query: 'up ' }));
    expect(upstreamKey(sliding)).not.toBe(upstreamKey({ ...sliding, step: 30 }));
  });
});

describe('liveStep', () => {
  it('takes the requested step, or a round one, but never exceeds maxPoints', () => {
    expect(liveStep(3600, 1, 2000)).toBe(1.8);
    expect(liveStep(3600, 30, 2000)).toBe(30);
    expect(liveStep(3600, null, 2000)).toBe(10);
  });
});
