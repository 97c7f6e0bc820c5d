import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownRulesOfFile } from '../../src/domain/tuning/known-rules.js';
import { Datasources, type DatasourceLookup } from '../../src/prometheus/datasources.js';
import { useTestApp } from '../support/app.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { freeLoopbackPort } from '../support/peer-process.js';

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
      - alert: Twice
        expr: up == 0
      - alert: Twice
        expr: up == 0
        for: 5m
`,
});

/**
 * Prometheus stand-in: the rule's expression with threshold 0.05 matches during
 * two stretches of the last hour (3 and 20 minutes); with 0.1 only the long one.
 */
function answerFor(query: string, start: number, end: number, step: number) {
  // The observed side: 0.02 throughout the last 30 minutes only, as if retention began there, but 0.5 in minute 41.
  if (query === 'rate(errors_total[5m])') {
    const values: [number, string][] = [];
    for (let t = start; t <= end; t += step) {
      if (t >= NOW - 1800) values.push([t, Math.floor(minuteOf(t)) === 41 ? '0.5' : '0.02']);
    }
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
    const minute = minuteOf(t);
    if (stretches.some(([from, to]) => minute >= from! && minute < to!)) values.push([t, '1']);
  }
  return values.length ? [{ metric: { job: 'api' }, values }] : [];
}

/** Minutes since the start of the last hour. NOW is not on a whole minute: evaluation times fall on k + 2/3. */
const minuteOf = (t: number) => (t - (NOW - 3600)) / 60;
const atMinute = (minute: number) => new Date((NOW - 3600 + minute * 60) * 1000).toISOString();

describe('POST /api/v1/rules/:alertname/backtest and /baseline', () => {
  let prometheus: FakePrometheus;
  // The app is built before the fake listens: it looks the datasource up when asked.
  let actual: Datasources;
  const datasources: DatasourceLookup = { get: (name) => actual.get(name) };
  beforeAll(async () => {
    prometheus = await startFakePrometheus({
      answer: ({ params }) => ({
        data: {
          resultType: 'matrix',
          result: answerFor(params.query!, Number(params.start), Number(params.end), Number(params.step)),
        },
      }),
    });
    actual = new Datasources([
      { name: 'default', url: prometheus.url },
      // Nothing listens there: Prometheus down.
      { name: 'closed', url: `http://127.0.0.1:${await freeLoopbackPort()}` },
    ]);
  });
  afterAll(async () => {
    await prometheus.close();
  });
  const t = useTestApp({ rules: { list: () => RULES }, datasources, clock: () => new Date(NOW * 1000) });

  /** An incident of `alertname` recorded through the webhook, open from minute `from` to `to` of the last hour. */
  let recorded = 0;
  async function recordIncident(alertname: string, from: number, to: number, acknowledged: boolean) {
    const n = String(++recorded);
    const overrides = { groupKey: `{}:{alertname="${alertname}",n="${n}"}`, groupLabels: { alertname, n } };
    const alert = { alertname, labels: { n }, startsAt: atMinute(from) };
    expect((await t().hook(amNotification([amAlert(alert)], overrides))).status).toBe(200);
    const { incidents } = (await (await t().api(`/incidents?alertname=${alertname}`)).json()) as {
      incidents: { id: number }[];
    };
    const id = incidents[0]!.id;
    if (acknowledged) expect((await t().api(`/incidents/${id}/ack`, { method: 'POST' })).status).toBe(200);
    const resolved = amAlert({ ...alert, status: 'resolved', endsAt: atMinute(to) });
    expect((await t().hook(amNotification([resolved], overrides))).status).toBe(200);
    return id;
  }

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

  it("ends the window where asked (a panel backtests over its chart's span), never after now", async () => {
    const res = await t().api('/rules/Errors/backtest', { method: 'POST', json: { window: '1h', end: NOW - 600 } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { window: unknown }).window).toEqual({
      start: NOW - 4200,
      end: NOW - 600,
      interval: 60,
    });
    const later = await t().api('/rules/Errors/backtest', { method: 'POST', json: { window: '1h', end: NOW + 60 } });
    expect(later.status).toBe(400);
    expect(((await later.json()) as { error: { field: string } }).error.field).toBe('end');
  });

  it('names the field at fault', async () => {
    const res = await t().api('/rules/Errors/backtest', { method: 'POST', json: { window: 'a week', candidates: [] } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('window');
    const bad = await t().api('/rules/Errors/backtest', { method: 'POST', json: { candidates: [{ for: 'soon' }] } });
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('candidates[0].for');
  });

  it('refuses a threshold candidate for a rule without a threshold, saying why (422 no_threshold)', async () => {
    const res = await t().api('/rules/Down/backtest', { method: 'POST', json: { candidates: [{ threshold: 1 }] } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'no_threshold',
        field: 'candidates[0].threshold',
        message: expect.stringContaining('no_threshold: no comparison'),
      },
    });
  });

  it('answers 409 listing the candidates when the alertname names several rules', async () => {
    const res = await t().api('/rules/Twice/baseline', { method: 'POST', json: {} });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { candidates: unknown[] } };
    expect(error.candidates).toEqual([
      { group: 'api', file: 'rules.yaml', line: 9 },
      { group: 'api', file: 'rules.yaml', line: 11 },
    ]);
  });

  it.each([
    [{ step: 'often' }, 'step'],
    [{ window: '-1h' }, 'window'],
    [{ buffer: -0.1 }, 'buffer'],
    [{ buffer: '25%' }, 'buffer'],
    [{ excludeIncidents: 'yes' }, 'excludeIncidents'],
  ])('answers 400 naming the field of a bad baseline request %j', async (json, field) => {
    const res = await t().api('/rules/Errors/baseline', { method: 'POST', json });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });

  it('answers 404 for an unknown alertname', async () => {
    expect((await t().api('/rules/Nope/backtest', { method: 'POST', json: {} })).status).toBe(404);
  });

  it('answers 503 when nothing listens at the datasource port, for the baseline and the backtest', async () => {
    for (const path of ['/rules/Errors/baseline', '/rules/Errors/backtest']) {
      const res = await t().api(path, { method: 'POST', json: { window: '1h', datasource: 'closed' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
    }
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

  it('computes the baseline outside the incidents of the alert, with its coverage, and suggests p95 × 1.25 to two figures', async () => {
    // The spike of minute 41 happened during an incident: not normal traffic.
    await recordIncident('Errors', 40, 43, true);
    const res = await t().api('/rules/Errors/baseline', { method: 'POST', json: { window: '1h' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.threshold).toEqual({ index: 0, operator: '>', value: 0.05, observed: 'rate(errors_total[5m])' });
    expect(body.overall).toMatchObject({ p95: 0.02, max: 0.02, beyondThreshold: 0 });
    expect(body.excludedIncidents).toBe(1);
    // 30 of the window's 61 evaluation times had data, 3 of them during the incident: 27 of 58. Said, not hidden.
    expect(body.evaluations).toBe(58);
    expect(body.overall.coverage).toBeCloseTo(27 / 58);
    expect(body.suggestion).toMatchObject({ threshold: 0.025, buffer: 0.25, for: 120 });
    // Already backtested: at 0.025 the fake's expression never matches, so the acknowledged incident is missed.
    expect(body.suggestion.backtest).toMatchObject({
      incidents: { count: 1, acknowledged: 1, noise: 0 },
      current: { firings: 2, missedIncidents: [] },
      suggested: { definition: { expr: 'rate(errors_total[5m]) > 0.025', forSeconds: 120 }, firings: 0 },
      summary: 'would have fired 0 times instead of 2 in the last 1h, 1 of 1 acknowledged incident missed',
    });
    expect(body.suggestion.backtest.suggested.missedIncidents).toHaveLength(1);

    const everything = await t().api('/rules/Errors/baseline', {
      method: 'POST',
      json: { window: '1h', excludeIncidents: false },
    });
    const all = (await everything.json()) as Record<string, any>;
    expect(all).toMatchObject({ excludedIncidents: 0, evaluations: 61, overall: { max: 0.5 } });
    expect(all.overall.coverage).toBeCloseTo(30 / 61);
  });

  it('counts the incidents recorded for the alert and lists, per candidate, the acknowledged ones it would have missed', async () => {
    const early = await recordIncident('Errors', 12, 14, true);
    await recordIncident('Errors', 20, 22, false);
    const late = await recordIncident('Errors', 40, 43, true);
    await recordIncident('Other', 40, 43, true);
    const res = await t().api('/rules/Errors/backtest', {
      method: 'POST',
      json: { window: '1h', candidates: [{ threshold: 0.1 }, { for: '5m' }, { threshold: 0.05 }] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.incidents).toMatchObject({ count: 3, acknowledged: 2, noise: 1 });
    expect(body.incidents.list.map((i: { id: number }) => i.id)).toContain(late);
    // The current rule fires during both acknowledged incidents; both candidates stay silent in the early one.
    expect(body.current.missedIncidents).toEqual([]);
    for (const candidate of body.candidates.slice(0, 2)) {
      expect(candidate.missedIncidents).toEqual([
        { id: early, start: NOW - 3600 + 12 * 60, end: NOW - 3600 + 14 * 60, acknowledged: true },
      ]);
    }
    expect(body.candidates[0].summary).toBe(
      'would have fired 1 time instead of 2 in the last 1h, 1 of 2 acknowledged incidents missed',
    );
    expect(body.candidates[2].summary).toBe(
      'would have fired 2 times instead of 2 in the last 1h, 0 of 2 acknowledged incidents missed',
    );
  });

  it('says no_threshold (422) for a baseline of a rule without one', async () => {
    const res = await t().api('/rules/Down/baseline', { method: 'POST', json: {} });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'no_threshold', field: 'thresholdIndex', message: expect.stringContaining('no comparison') },
    });
    const beyond = await t().api('/rules/Errors/baseline', { method: 'POST', json: { thresholdIndex: 1 } });
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { error: { field: string } }).error.field).toBe('thresholdIndex');
  });
});
