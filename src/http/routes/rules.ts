import { Hono, type Context } from 'hono';
import type { Clock } from '../../domain/clock.js';
import { backtestRule } from '../../domain/tuning/backtest-rule.js';
import { baselineRule } from '../../domain/tuning/baseline-rule.js';
import { findRule, type KnownRule } from '../../domain/tuning/known-rules.js';
import { NO_RECORDED_INCIDENTS, type RecordedIncidentSource } from '../../domain/tuning/recorded-incidents.js';
import type { DatasourceLookup } from '../../prometheus/datasources.js';
import type { AppEnv } from '../env.js';
import { jsonBody } from '../params.js';

export interface RuleSource {
  list(): readonly KnownRule[];
}

/** The evaluation interval of groups without their own `interval` (Prometheus' global default). */
const DEFAULT_EVALUATION_INTERVAL_SECONDS = 60;

export function ruleRoutes(deps: {
  rules: RuleSource;
  datasources: DatasourceLookup;
  clock: Clock;
  /** The incidents Alertbook recorded for an alert: left out of baselines, counted beside backtests. */
  incidents?: RecordedIncidentSource;
  evaluationIntervalSeconds?: number;
}) {
  const ruleOf = (c: { req: { param(name: 'alertname'): string; query(): Record<string, string> } }) => {
    const { group, file } = c.req.query();
    return findRule(deps.rules.list(), c.req.param('alertname'), { group, file });
  };
  const evaluation = async (c: Parameters<typeof ruleOf>[0] & Context<AppEnv>) => ({
    rule: ruleOf(c),
    body: await jsonBody(c),
    datasources: deps.datasources,
    incidents: deps.incidents ?? NO_RECORDED_INCIDENTS,
    now: Math.floor(deps.clock().getTime() / 1000),
    defaultIntervalSeconds: deps.evaluationIntervalSeconds ?? DEFAULT_EVALUATION_INTERVAL_SECONDS,
    signal: c.req.raw.signal,
  });
  return new Hono<AppEnv>()
    .post('/rules/:alertname/backtest', async (c) => c.json(await backtestRule(await evaluation(c))))
    .post('/rules/:alertname/baseline', async (c) => c.json(await baselineRule(await evaluation(c))))
    .get('/rules', (c) => c.json({ rules: deps.rules.list() }))
    .get('/rules/:alertname', (c) => c.json(ruleOf(c)));
}
