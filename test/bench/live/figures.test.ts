import { describe, expect, it } from 'vitest';
import { computeFigures, renderFigures, type RunFacts } from './figures.js';
import type { NaiveResult } from './naive.js';

const naive: NaiveResult = {
  clients: 100,
  seconds: 10,
  queriesPerSecond: 900,
  skipped: 0,
  failures: 0,
  latencyMs: { p50: 20, p99: 80 },
  prometheusCpuPerSecond: 0.5,
};

const cells = [
  { sub: 'c0', query: 'up' },
  { sub: 'c1', query: 'go_goroutines' },
];

/** Ticks 100…104, both cells answered at `end * 1000 + 50` ms; every client got them `delay` ms later. */
function run(delay: (end: number, sub: string) => number, clients = 2): RunFacts {
  const answers = [100, 101, 102, 103, 104].flatMap((end) =>
    cells.map(({ query }) => ({ query, end, at: end * 1000 + 50 })),
  );
  const lastReceipt = new Map(
    answers.map(({ query, end, at }) => {
      const sub = cells.find((c) => c.query === query)!.sub;
      return [`${sub}@${end}`, { at: at + delay(end, sub), clients }] as const;
    }),
  );
  return {
    clients: 2,
    cells,
    seconds: 5,
    answers,
    receipts: { lastReceipt, deltaFrames: 20, deltaBytes: 4_000, errors: [] },
    prometheusRangeQueries: 10,
    prometheusCpuSeconds: 0.1,
    hubCpuSeconds: 0.5,
    idleRssBytes: 50 * 1024 * 1024,
    peakRssBytes: 60 * 1024 * 1024,
    fullFrameBytesPerClient: 5_000,
    framesDropped: 0,
  };
}

describe('computeFigures', () => {
  it('counts queries per tick, leaving out the ticks the recording window cut', () => {
    const figures = computeFigures(
      run(() => 10),
      naive,
    );
    expect(figures.ticks).toBe(3);
    expect(figures.queriesPerTick).toEqual({ mean: 2, min: 2, max: 2, maxPerReplica: 2, measuredAtPrometheus: 2 });
    expect(figures.naive).toMatchObject({ analyticQueriesPerTick: 4, ratio: 0.5 });
  });

  it('with two replicas, counts the queries of both per tick and the most one replica asked', () => {
    const single = run(() => 10);
    const figures = computeFigures(
      {
        ...single,
        replicas: 2,
        answers: single.answers.flatMap((a) => [
          { ...a, replica: 0 },
          { ...a, replica: 1 },
        ]),
      },
      naive,
    );
    expect(figures.replicas).toBe(2);
    expect(figures.queriesPerTick).toMatchObject({ mean: 4, min: 4, max: 4, maxPerReplica: 2 });
    expect(renderFigures(figures, { clients: 2, cells: 2, seconds: 5, range: '1m' })).toContain(
      'upstream queries per tick    4 from 2 replicas (min 4, max 4 over 3 ticks; at most 2 from one replica; Prometheus counted 2/s)   target ≤ replicas × cells = 4: PASS',
    );
  });

  it('times each answer to its last client, and from the tick to its last client', () => {
    const figures = computeFigures(
      run((end, sub) => (sub === 'c1' && end === 102 ? 90 : 10)),
      naive,
    );
    expect(figures.fanOutMs).toEqual({ p50: 10, p99: 90, max: 90, samples: 6, incomplete: 0 });
    expect(figures.endToEndMs).toEqual({ p50: 60, p99: 140, max: 140 });
  });

  it('says how many answers did not reach every client', () => {
    expect(
      computeFigures(
        run(() => 10, 1),
        naive,
      ).fanOutMs.incomplete,
    ).toBe(6);
  });

  it('scales RSS growth to 1,000 clients and gives bytes per client per tick', () => {
    const figures = computeFigures(
      run(() => 10),
      naive,
    );
    expect(figures.rssGrowthPer1000ClientsMb).toBe(5_000);
    expect(figures.bytesPerClientPerTick).toEqual({ delta: 400, full: 5_000 });
  });
});
