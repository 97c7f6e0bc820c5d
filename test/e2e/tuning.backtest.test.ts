import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/prometheus/client.js';
import { backtest, type Backtest } from '../../src/domain/tuning/backtest.js';
import {
  startBackfilledPrometheus,
  type BackfilledPrometheus,
  type HistorySeries,
} from '../support/backfilled-prometheus.js';

const run = promisify(execFile);
const MINUTE = 60;
const MINUTES = 40;
/** History a few hours back, on a whole hour: inside retention, and evaluation times fall on whole minutes. */
const BASE = Math.floor(Date.now() / 3_600_000) * 3600 - 6 * 3600;

/** `20x5` = five samples of 20, `_x3` = three minutes without a sample (promtool's notation, spelled out per minute). */
function minutes(notation: string): (number | null)[] {
  return notation.split(' ').flatMap((part) => {
    const [value, times] = part.split('x') as [string, string];
    return Array.from({ length: Number(times) }, () => (value === '_' ? null : Number(value)));
  });
}

interface Scenario {
  name: string;
  /** `m{scenario="<name>"}` is the observed series; the rule compares it. */
  comparison: string;
  for: string;
  keepFiringFor?: string;
  series: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  { name: 'steady', comparison: '> 10', for: '5m', series: { a: '20x41' } },
  { name: 'spike-shorter-than-for', comparison: '> 10', for: '10m', series: { a: '5x5 20x5 5x5 20x15 5x11' } },
  {
    name: 'flapping',
    comparison: '> 10',
    for: '0s',
    series: { a: '9x2 11x2 9x1 11x1 9x2 11x3 9x1 11x1 9x3 11x2 9x1 11x1 9x2 11x20' },
  },
  { name: 'gap-in-data', comparison: '> 10', for: '2m', series: { a: '20x10 _x3 20x5 _x12 20x11' } },
  {
    name: 'appearing-and-disappearing',
    comparison: '> 10',
    for: '1m',
    series: { a: '_x10 20x10 _x21', b: '20x5 _x36' },
  },
  {
    name: 'keep-firing-for',
    comparison: '> 10',
    for: '0s',
    keepFiringFor: '5m',
    series: { a: '20x5 5x3 20x3 5x10 20x2 5x18' },
  },
  { name: 'two-series', comparison: '> 10', for: '3m', series: { a: '20x20 5x21', b: '5x10 20x31' } },
  { name: 'below-threshold', comparison: '< 5', for: '2m', series: { a: '10x5 3x10 10x5 1x2 10x19' } },
  {
    name: 'gap-while-kept-firing',
    comparison: '>= 10',
    for: '1m',
    keepFiringFor: '3m',
    series: { a: '10x6 _x8 10x4 _x4 10x19' },
  },
];

const seconds = (duration: string) => Number(duration.slice(0, -1)) * (duration.endsWith('m') ? MINUTE : 1);
const exprOf = (scenario: Scenario) => `m{scenario="${scenario.name}"} ${scenario.comparison}`;
const alertnameOf = (scenario: Scenario) =>
  scenario.name.replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase());

function history(): HistorySeries[] {
  return SCENARIOS.flatMap((scenario) =>
    Object.entries(scenario.series).map(([series, notation]) => ({
      metric: 'm',
      labels: { scenario: scenario.name, series },
      samples: minutes(notation).flatMap((value, minute) =>
        value === null ? [] : [[BASE + minute * MINUTE, value] as [number, number]],
      ),
    })),
  );
}

/**
 * The oracle: `promtool test rules` on the same rule and series, asked at every
 * evaluation minute whether exactly the alerts the backtest says are firing are
 * firing. Resolves with promtool's output; rejects with it when they disagree.
 */
async function promtoolAgrees(scenario: Scenario, result: Backtest): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-promtool-'));
  try {
    const rule = {
      alert: alertnameOf(scenario),
      expr: exprOf(scenario),
      for: scenario.for,
      ...(scenario.keepFiringFor ? { keep_firing_for: scenario.keepFiringFor } : {}),
    };
    await writeFile(
      join(dir, 'rules.yaml'),
      stringify({ groups: [{ name: scenario.name, interval: '1m', rules: [rule] }] }),
    );
    const alertRuleTests = Array.from({ length: MINUTES + 1 }, (_, minute) => {
      const at = BASE + minute * MINUTE;
      const firing = result.episodes.filter((e) => e.firedAt <= at && (e.resolvedAt === null || at < e.resolvedAt));
      return {
        eval_time: `${minute}m`,
        alertname: rule.alert,
        exp_alerts: firing.map((e) => ({ exp_labels: e.labels })),
      };
    });
    const inputSeries = Object.entries(scenario.series).map(([series, notation]) => ({
      series: `m{scenario="${scenario.name}",series="${series}"}`,
      values: minutes(notation)
        .map((value) => (value === null ? '_' : String(value)))
        .join(' '),
    }));
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: inputSeries, alert_rule_test: alertRuleTests }],
    };
    await writeFile(join(dir, 'tests.yaml'), stringify(tests));
    await run(process.env.PROMTOOL_BIN ?? 'promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('backtest against a backfilled Prometheus, checked by promtool test rules', () => {
  let prometheus: BackfilledPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prometheus = await startBackfilledPrometheus(history());
    client = new PrometheusClient({ name: 'backfilled', url: prometheus.url });
  });
  afterAll(async () => {
    await prometheus?.close();
  });

  const backtestOf = (scenario: Scenario, overrides: { keepFiringForSeconds?: number } = {}) =>
    backtest(
      client,
      {
        expr: exprOf(scenario),
        forSeconds: seconds(scenario.for),
        keepFiringForSeconds: scenario.keepFiringFor ? seconds(scenario.keepFiringFor) : 0,
        ...overrides,
      },
      { start: BASE, end: BASE + MINUTES * MINUTE, interval: MINUTE },
    );

  it('the installed promtool knows keep_firing_for (Prometheus ≥ 2.42)', async () => {
    const { stdout, stderr } = await run(process.env.PROMTOOL_BIN ?? 'promtool', ['--version']);
    const [major, minor] = (/version (\d+)\.(\d+)/.exec(stdout + stderr) ?? []).slice(1).map(Number) as [
      number,
      number,
    ];
    expect(major > 2 || (major === 2 && minor >= 42)).toBe(true);
  });

  it.each(SCENARIOS)('$name: episode for episode', async (scenario) => {
    const result = await backtestOf(scenario);
    // Every scenario fires at least once, so agreeing is never agreeing on nothing.
    expect(result.episodes.length).toBeGreaterThan(0);
    expect(result.evaluations).toBe(MINUTES + 1);
    await expect(promtoolAgrees(scenario, result)).resolves.toBeUndefined();
  });

  it('the oracle notices a disagreement: the keep_firing_for scenario replayed without it', async () => {
    const scenario = SCENARIOS.find((s) => s.name === 'keep-firing-for')!;
    const wrong = await backtestOf(scenario, { keepFiringForSeconds: 0 });
    await expect(promtoolAgrees(scenario, wrong)).rejects.toThrow(/FAILED/);
  });

  it('counts, for the scenarios read by eye, the episodes the definitions imply', async () => {
    const counts = Object.fromEntries(
      await Promise.all(SCENARIOS.map(async (s) => [s.name, (await backtestOf(s)).episodes.length] as const)),
    );
    expect(counts).toMatchObject({ steady: 1, 'spike-shorter-than-for': 1, 'keep-firing-for': 2, 'two-series': 2 });
  });
});
