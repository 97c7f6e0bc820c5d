import { describe, expect, it } from 'vitest';
import { knownRulesOfFile } from '../../src/domain/tuning/known-rules.js';
import { useTestApp } from '../support/app.js';
import { useRangePrometheus } from '../support/range-prometheus.js';

const NOW = 1_700_000_000;
const RULES = knownRulesOfFile({
  path: 'rules.yaml',
  content: `groups:
  - name: api
    rules:
      - alert: Errors
        expr: rate(errors_total[5m]) > 0.05
        for: 2m
      - alert: Down
        expr: absent(up{job="api"})
`,
});

/**
 * Prometheus stand-in: the rule's expression with threshold 0.05 matches during
 * two stretches of the last hour (3 and 20 minutes); with 0.1 only the long one.
 */
function answerFor(query: string, start: number, end: number, step: number) {
  // The observed side: 0.02 throughout the last 30 minutes only, as if retention began there.
  if (query === 'rate(errors_total[5m])') {
    const values: [number, string][] = [];
    for (let t = start; t <= end; t += step) if (t >= NOW - 1800) values.push([t, '0.02']);
    return [{ metric: { job: 'api' }, values }];
  }
  const stretches = query.includes('> 0.05')
    ? [
        [10, 13],
        [30, 50],
      ]
    : query.includes('> 0.1')
      ? [[30, 50]]
      : [];
  const values: [number, string][] = [];
  for (let t = start; t <= end; t += step) {
    const minute = (t - (NOW - 3600)) / 60;
    if (stretches.some(([from, to]) => minute >= from! && minute < to!)) values.push([t, '1']);
  }
  return values.length ? [{ metric: { job: 'api' }, values }] : [];
}

describe('POST /api/v1/rules/:alertname/backtest and /baseline', () => {
  const prometheus = useRangePrometheus(answerFor);
  const { datasources } = prometheus;
  const t = useTestApp({ rules: { list: () => RULES }, datasources, clock: () => new Date(NOW * 1000) });

  it('replays the current rule and each candidate over the window at the evaluation interval', async () => {
    const res = await t().api('/rules/Errors/backtest', {
      method: 'POST',
      json: { window: '1h', candidates: [{ threshold: 0.1 }, { for: '5m' }] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      window: unknown;
      current: Record<string, unknown>;
      candidates: Record<string, unknown>[];
    };
    expect(body.window).toEqual({ start: NOW - 3600, end: NOW, interval: 60 });
    // Current: both stretches outlast `for: 2m`; the 3-minute one fires for 2 minutes (a flap).
    expect(body.current).toMatchObject({ firings: 2, flaps: 1, timeFiring: (1 + 18) * 60 });
    expect(body.candidates[0]).toMatchObject({
      definition: { expr: 'rate(errors_total[5m]) > 0.1' },
      firings: 1,
      flaps: 0,
    });
    expect(body.candidates[1]).toMatchObject({ definition: { forSeconds: 300 }, firings: 1, heldBack: 1 });
  });

  it('names the field at fault', async () => {
    const res = await t().api('/rules/Errors/backtest', { method: 'POST', json: { window: 'a week', candidates: [] } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('window');
    const bad = await t().api('/rules/Errors/backtest', { method: 'POST', json: { candidates: [{ for: 'soon' }] } });
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('candidates[0].for');
  });

  it('refuses a threshold candidate for a rule without a threshold, saying why', async () => {
    const res = await t().api('/rules/Down/backtest', { method: 'POST', json: { candidates: [{ threshold: 1 }] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { field: 'candidates[0].threshold', message: expect.stringContaining('no_threshold: no comparison') },
    });
  });

  it('answers 404 for an unknown alertname', async () => {
    expect((await t().api('/rules/Nope/backtest', { method: 'POST', json: {} })).status).toBe(404);
  });

  it('answers 503 when Prometheus cannot be reached, so that a retry can succeed', async () => {
    prometheus.fault({ kind: 'reset' });
    try {
      const res = await t().api('/rules/Errors/backtest', { method: 'POST', json: { window: '1h' } });
      expect(res.status).toBe(503);
    } finally {
      prometheus.fault(null);
    }
  });

  it('computes the baseline of the observed expression with its coverage, and suggests p95 × 1.25 to two figures', async () => {
    const res = await t().api('/rules/Errors/baseline', { method: 'POST', json: { window: '1h' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.threshold).toEqual({ index: 0, operator: '>', value: 0.05, observed: 'rate(errors_total[5m])' });
    expect(body.overall).toMatchObject({ p95: 0.02, max: 0.02, beyondThreshold: 0 });
    // Evaluation times fall on whole minutes (NOW is not one): 30 of the window's 61 had data. Said, not hidden.
    expect(body.overall.coverage).toBeCloseTo(30 / 61);
    expect(body.suggestion).toEqual({ threshold: 0.025, buffer: 0.25 });
  });

  it('says no_threshold for a baseline of a rule without one', async () => {
    const res = await t().api('/rules/Down/baseline', { method: 'POST', json: {} });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { field: 'thresholdIndex', message: expect.stringContaining('no_threshold') },
    });
  });
});
