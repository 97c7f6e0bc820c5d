import { Hono, type Context } from 'hono';
import type { Clock } from '../../domain/clock.js';
import { backtestRule } from '../../domain/tuning/backtest-rule.js';
import { baselineRule } from '../../domain/tuning/baseline-rule.js';
import { findRule, type KnownRule } from '../../domain/tuning/known-rules.js';
import { NO_RECORDED_INCIDENTS, type RecordedIncidentSource } from '../../domain/tuning/recorded-incidents.js';
import type { DatasourceLookup } from '../../prometheus/datasources.js';
import type { AppEnv } from '../env.js';
import { ValidationError } from '../../domain/errors.js';
import { jsonBody } from '../params.js';

export interface RuleSource {
  list(): readonly KnownRule[];
  /** A rule file's content now (path as listed), null when it is gone: what a decision's patch edits. */
  read?(file: string): Promise<string | null>;
  /** Called after every (re)load; returns the unsubscribe. */
  onReload?(listener: (rules: readonly KnownRule[]) => Promise<void> | void): () => void;
}

/** Baseline and backtest answers are stored as a decision's evidence; the answer carries the evidence `id`. */
export interface EvidenceStore {
  storeEvidence(kind: 'baseline' | 'backtest', rule: KnownRule, actor: string, result: object): Promise<string>;
}

/** The evaluation interval of groups without their own `interval` (Prometheus' global default). */
const DEFAULT_EVALUATION_INTERVAL_SECONDS = 60;

export function ruleRoutes(deps: {
  rules: Pick<RuleSource, 'list'>;
  /** The rules as listed: with their linked runbook and open incidents. */
  listed(rules: readonly KnownRule[]): Promise<object[]>;
  evidence: EvidenceStore;
  datasources: DatasourceLookup;
  clock: Clock;
  /** The incidents Alertbook recorded for an alert: left out of baselines, counted beside backtests. */
  incidents?: RecordedIncidentSource;
  evaluationIntervalSeconds?: number;
}) {
  const ruleOf = (c: { req: { param(name: 'alertname'): string; query(): Record<string, string> } }) => {
    const { group, file, line } = c.req.query();
    return findRule(deps.rules.list(), c.req.param('alertname'), { group, file, line: lineQuery(line) });
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
  const stored = async (c: Context<AppEnv>, kind: 'baseline' | 'backtest', rule: KnownRule, result: object) =>
    c.body(await deps.evidence.storeEvidence(kind, rule, c.get('actor'), result), 200, {
      'content-type': 'application/json; charset=UTF-8',
    });
  return new Hono<AppEnv>()
    .post('/rules/:alertname/backtest', async (c) => {
      const input = await evaluation(c);
      return stored(c, 'backtest', input.rule, await backtestRule(input));
    })
    .post('/rules/:alertname/baseline', async (c) => {
      const input = await evaluation(c);
      return stored(c, 'baseline', input.rule, await baselineRule(input));
    })
    .get('/rules', async (c) => c.json({ rules: await deps.listed(deps.rules.list()) }))
    .get('/rules/:alertname', async (c) => c.json((await deps.listed([ruleOf(c)]))[0]));
}

/** `?line=`, the line of a rule's `- alert:` in its file (a 1-based number), or a 400 naming it. */
function lineQuery(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new ValidationError('line', `"${raw}" is not a line number`);
  return Number(raw);
}
