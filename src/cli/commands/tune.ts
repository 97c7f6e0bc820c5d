import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backtestRule } from '../../domain/tuning/backtest-rule.js';
import { baselineRule } from '../../domain/tuning/baseline-rule.js';
import { formatDuration } from '../../domain/tuning/format-duration.js';
import { findRule, type KnownRule } from '../../domain/tuning/known-rules.js';
import { patchRuleFile, type RuleChange } from '../../domain/tuning/patch-rule-file.js';
import { countIncidents, NO_RECORDED_INCIDENTS } from '../../domain/tuning/recorded-incidents.js';
import { currentDefinition } from '../../domain/tuning/replay-candidates.js';
import type { RuleEvaluation } from '../../domain/tuning/rule-evaluation.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { Datasources } from '../../prometheus/datasources.js';
import { RuleFiles } from '../../rules/rule-files.js';
import { alertbookApi, type AlertbookApi } from '../alertbook-api.js';
import type { CliIo, ExitCode } from '../cli-io.js';
import { runCommand } from '../run-command.js';
import { formatTune, type TuneView } from '../format/format-tune.js';
import { incidentsOverApi } from '../incidents-over-api.js';

export const TUNE_USAGE = `usage: alertbook tune <alertname> --prometheus <url> [--rules <glob>]... [--group <name>] [--file <path>]
                      [--line <n>] [--window 7d] [--buffer 25%] [--threshold-index 0]
                      [--threshold <x>] [--for <duration>] [--keep-firing-for <duration>]
                      [--server <url>] [--write] [--record --reason "<why>"]

Prints the baseline of the rule's threshold over the window, the rule backtested
as it is, and the suggestion (p95 × (1 + buffer), the smallest for without
flaps) backtested too. --threshold/--for/--keep-firing-for backtest those values
instead. --server reads the incidents Alertbook recorded (left out of the
baseline; missed incidents listed) with the token from ALERTBOOK_TOKEN.
--write edits the rule file in place; --record records the decision on --server.
--group/--file/--line pick one rule where several share the alertname (--line: the
line of its "- alert:"). Rules: default runbooks/rules/**/*.{yml,yaml}.
Exit code: 0 done, 1 the change would miss an acknowledged incident, 2 could not run.`;

/** Groups without their own `interval`: Prometheus' default global evaluation interval. */
const DEFAULT_EVALUATION_INTERVAL_SECONDS = 60;

interface TuneOptions {
  alertname: string;
  ruleGlobs: string[];
  group?: string;
  file?: string;
  line?: number;
  prometheus: string;
  window: string;
  buffer: number;
  thresholdIndex: number;
  candidate: { threshold?: number; for?: string; keepFiringFor?: string } | null;
  server?: string;
  write: boolean;
  reason?: string;
}

export async function runTune(args: string[], io: CliIo): Promise<ExitCode> {
  return runCommand({ name: 'tune', usage: TUNE_USAGE, args, io }, parseTuneArgs, tune);
}

async function tune(options: TuneOptions, io: CliIo): Promise<ExitCode> {
  const rules = new RuleFiles({ patterns: options.ruleGlobs, cwd: io.cwd });
  await rules.reload();
  const rule = findRule(rules.list(), options.alertname, {
    group: options.group,
    file: options.file,
    line: options.line,
  });
  const api = options.server ? alertbookApi(options.server, io.env?.ALERTBOOK_TOKEN) : null;
  const evaluation = {
    rule,
    datasources: new Datasources([{ name: 'default', url: options.prometheus }]),
    incidents: api ? incidentsOverApi(api) : NO_RECORDED_INCIDENTS,
    now: Math.floor(Date.now() / 1000),
    defaultIntervalSeconds: DEFAULT_EVALUATION_INTERVAL_SECONDS,
  };
  const { view, change } = options.candidate
    ? await backtestCandidate(options, evaluation, options.candidate)
    : await baselineAndSuggestion(options, evaluation);
  if (!api) view.incidents = null;
  io.stdout(formatTune(view));

  const proposed = view.rows.length > 1 ? view.rows.at(-1)!.backtest : null;
  if (change && options.write) await writeChange(rule, change, io);
  if (change && api && options.reason !== undefined) await recordDecision(api, rule, change, options.reason, io);
  if (!change && (options.write || options.reason !== undefined)) io.stderr('note: nothing to change: no suggestion\n');
  return proposed && proposed.missedIncidents.length > 0 ? 1 : 0;
}

/** Built once per run; the baseline and the backtest each add their own body. */
type Evaluation = Omit<RuleEvaluation, 'body'>;

async function backtestCandidate(
  options: TuneOptions,
  evaluation: Evaluation,
  candidate: NonNullable<TuneOptions['candidate']>,
): Promise<{ view: TuneView; change: RuleChange }> {
  const { rule } = evaluation;
  const result = await backtestRule({
    ...evaluation,
    body: { window: options.window, candidates: [{ thresholdIndex: options.thresholdIndex, ...candidate }] },
  });
  const current = rule.thresholds[options.thresholdIndex]?.value ?? null;
  return {
    view: {
      rule,
      window: options.window,
      baseline: null,
      incidents: countIncidents(result.incidents.list),
      rows: [
        { label: 'current', threshold: current, backtest: result.current },
        { label: 'proposed', threshold: candidate.threshold ?? current, backtest: result.candidates[0]! },
      ],
      verdict: result.candidates[0]!.summary,
    },
    change: {
      thresholdIndex: options.thresholdIndex,
      threshold: candidate.threshold,
      forSeconds: candidate.for === undefined ? undefined : parsePrometheusDuration(candidate.for)!,
      keepFiringForSeconds:
        candidate.keepFiringFor === undefined ? undefined : parsePrometheusDuration(candidate.keepFiringFor)!,
    },
  };
}

async function baselineAndSuggestion(
  options: TuneOptions,
  evaluation: Evaluation,
): Promise<{ view: TuneView; change: RuleChange | null }> {
  const result = await baselineRule({
    ...evaluation,
    body: { window: options.window, buffer: options.buffer, thresholdIndex: options.thresholdIndex },
  });
  const { suggestion } = result;
  const view: TuneView = {
    rule: evaluation.rule,
    window: options.window,
    baseline: {
      observed: result.threshold.observed,
      step: result.window.step,
      excludedIncidents: result.excludedIncidents,
      overall: result.overall,
      operator: result.threshold.operator,
      value: result.threshold.value,
    },
    incidents: suggestion.backtest?.incidents ?? null,
    rows: suggestion.backtest
      ? [
          { label: 'current', threshold: result.threshold.value, backtest: suggestion.backtest.current },
          { label: 'suggested', threshold: suggestion.threshold, backtest: suggestion.backtest.suggested },
        ]
      : [],
    verdict: suggestion.backtest
      ? suggestion.backtest.summary
      : 'no suggestion: the baseline has no samples, or the threshold is not a single literal compared with > or <',
  };
  const change =
    suggestion.threshold === null || suggestion.for === null
      ? null
      : { thresholdIndex: options.thresholdIndex, threshold: suggestion.threshold, forSeconds: suggestion.for };
  return { view, change };
}

/** The same edit as the patch endpoint: only the literal and the durations, everything else byte for byte. */
async function writeChange(rule: KnownRule, change: RuleChange, io: CliIo): Promise<void> {
  const path = join(io.cwd, rule.file);
  const content = await readFile(path, 'utf8');
  const outcome = patchRuleFile(
    { path: rule.file, content },
    { group: rule.group, alert: rule.alertname, line: rule.line, base: currentDefinition(rule) },
    change,
  );
  if (outcome.kind === 'conflict') throw new Error(`${rule.file} not written: ${outcome.reason}`);
  if (outcome.kind === 'unchanged') {
    io.stderr(`note: ${rule.file} already holds these values\n`);
    return;
  }
  await writeFile(path, outcome.content);
  io.stdout(`\nWrote ${rule.file}:\n${outcome.diff}`);
}

async function recordDecision(api: AlertbookApi, rule: KnownRule, change: RuleChange, reason: string, io: CliIo) {
  const decision = await api.json<{ id: number; status: string }>('/tuning/decisions', {
    method: 'POST',
    json: {
      alertname: rule.alertname,
      group: rule.group,
      file: rule.file,
      line: rule.line,
      thresholdIndex: change.thresholdIndex ?? 0,
      to: {
        ...(change.threshold === undefined ? {} : { threshold: change.threshold }),
        ...(change.forSeconds === undefined ? {} : { for: formatDuration(change.forSeconds) }),
        ...(change.keepFiringForSeconds === undefined
          ? {}
          : { keepFiringFor: formatDuration(change.keepFiringForSeconds) }),
      },
      reason,
    },
  });
  io.stdout(`\nRecorded decision ${decision.id} (${decision.status})\n`);
}

function parseTuneArgs(args: string[]): TuneOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      rules: { type: 'string', multiple: true },
      group: { type: 'string' },
      file: { type: 'string' },
      line: { type: 'string' },
      prometheus: { type: 'string' },
      window: { type: 'string', default: '7d' },
      buffer: { type: 'string', default: '25%' },
      'threshold-index': { type: 'string', default: '0' },
      threshold: { type: 'string' },
      for: { type: 'string' },
      'keep-firing-for': { type: 'string' },
      server: { type: 'string' },
      write: { type: 'boolean', default: false },
      record: { type: 'boolean', default: false },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new Error(`expected one alertname, got ${positionals.length}`);
  if (!values.prometheus || !/^https?:\/\/[^/]/.test(values.prometheus)) {
    throw new Error(`--prometheus must be an http(s) URL${values.prometheus ? `, not "${values.prometheus}"` : ''}`);
  }
  if (values.server !== undefined && !/^https?:\/\/[^/]/.test(values.server)) {
    throw new Error(`--server must be an http(s) URL, not "${values.server}"`);
  }
  for (const name of ['window', 'for', 'keep-firing-for'] as const) {
    const value = values[name];
    if (value !== undefined && parsePrometheusDuration(value) === null) {
      throw new Error(`--${name} must be a Prometheus duration such as 10m, not "${value}"`);
    }
  }
  const buffer = /^(\d+(?:\.\d+)?)(%?)$/.exec(values.buffer);
  if (!buffer)
    throw new Error(`--buffer must be a percentage such as 25% or a share such as 0.25, not "${values.buffer}"`);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && (values.threshold!.trim() === '' || Number.isNaN(threshold))) {
    throw new Error(`--threshold must be a number, not "${values.threshold}"`);
  }
  if (values.line !== undefined && !/^[1-9]\d{0,8}$/.test(values.line)) {
    throw new Error(`--line must be a line number, not "${values.line}"`);
  }
  const thresholdIndex = Number(values['threshold-index']);
  if (!Number.isInteger(thresholdIndex) || thresholdIndex < 0) {
    throw new Error(`--threshold-index must be 0 or more, not "${values['threshold-index']}"`);
  }
  if (values.record && (values.reason === undefined || values.server === undefined)) {
    throw new Error('--record needs --reason "<why>" and --server <url>');
  }
  const candidate =
    threshold !== undefined || values.for !== undefined || values['keep-firing-for'] !== undefined
      ? {
          ...(threshold === undefined ? {} : { threshold }),
          ...(values.for === undefined ? {} : { for: values.for }),
          ...(values['keep-firing-for'] === undefined ? {} : { keepFiringFor: values['keep-firing-for'] }),
        }
      : null;
  return {
    alertname: positionals[0]!,
    ruleGlobs: values.rules ?? ['runbooks/rules/**/*.{yml,yaml}'],
    group: values.group,
    file: values.file,
    ...(values.line === undefined ? {} : { line: Number(values.line) }),
    prometheus: values.prometheus,
    window: values.window,
    buffer: Number(buffer[1]) / (buffer[2] ? 100 : 1),
    thresholdIndex,
    candidate,
    server: values.server,
    write: values.write,
    reason: values.record ? values.reason : undefined,
  };
}
