import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { LoadError, Loading } from '../components/loading.js';
import { formatPromDuration } from '../format/time.js';
import { formatValue } from '../format/value.js';
import { useResource } from '../hooks/use-resource.js';
import type { WireQueryResult } from '../../../src/prometheus/sample-value.js';
import { chartSeries, chartStep } from './chart-series.js';
import { firingPeriods } from './firing-periods.js';
import { backtestCandidates, type Proposal, proposedChange } from './proposal.js';
import { RecordDecision } from './record-decision.js';
import { TuneChart } from './tune-chart.js';
import type { TuneDecor } from './tune-chart-options.js';
import { TuneNumbers } from './tune-numbers.js';
import type { BacktestAnswer, BaselineAnswer, RuleView } from './types.js';
import { useDebounced } from './use-debounced.js';
import { ruleCouldHaveFired } from '../../../src/domain/incidents/rule-could-have-fired.js';

const WINDOWS = ['1d', '3d', '7d', '14d', '30d'];
const DEFAULT_WINDOW = '7d';
const FOR_CHOICES = ['0s', '1m', '2m', '5m', '10m', '15m', '30m', '1h'];
/** Typing or dragging settles this long before the backtest runs again. */
const BACKTEST_DELAY_MS = 400;

const ruleKey = (rule: RuleView) => `${rule.file}:${rule.line}`;
/** `?group=&file=&line=`: an alertname several rules share (warning/critical pairs, often in one group) needs them. */
const narrowing = (rule: RuleView) =>
  new URLSearchParams({ group: rule.group, file: rule.file, line: String(rule.line) }).toString();
const rulePath = (rule: RuleView, verb: string) =>
  `/rules/${encodeURIComponent(rule.alertname)}/${verb}?${narrowing(rule)}`;

export interface TunePanelProps {
  incidentId: number;
  alertname: string;
  /** An alert of the incident's: the rule shown first is the one its static labels (severity) agree with. */
  alertLabels: Record<string, string>;
  /** The incident's start, unix seconds: marked on the chart. */
  marker: number;
  onClose(): void;
}

/** "Tune this alert": the rule's observed expression, its thresholds, what each would have done, and a decision. */
export function TunePanel({ incidentId, alertname, alertLabels, marker, onClose }: TunePanelProps) {
  const rules = useResource('tune-rules', () => api.get<{ rules: RuleView[] }>('/rules'));
  const [chosen, setChosen] = useState<string | null>(null);
  const named = rules.data?.rules.filter((rule) => rule.alertname === alertname) ?? [];
  const rule =
    named.find((candidate) => ruleKey(candidate) === chosen) ??
    named.find((candidate) => ruleCouldHaveFired(candidate, alertLabels)) ??
    named[0];

  return (
    <section class="panel tune-panel" aria-labelledby="tune-heading">
      <div class="tune-head">
        <h2 id="tune-heading">Tune {alertname}</h2>
        <button type="button" class="link-button" onClick={onClose}>
          Close
        </button>
      </div>
      {rules.error ? (
        <LoadError error={rules.error} retry={rules.reload} />
      ) : !rules.data ? (
        <Loading label="rules" />
      ) : !rule ? (
        <p class="empty">No loaded alerting rule is named {alertname} (see ALERTBOOK_RULES).</p>
      ) : (
        <>
          {named.length > 1 && (
            <label class="tune-control">
              Rule{' '}
              <select value={ruleKey(rule)} onChange={(e) => setChosen(e.currentTarget.value)}>
                {named.map((candidate) => (
                  <option key={ruleKey(candidate)} value={ruleKey(candidate)}>
                    {candidate.group} · {ruleKey(candidate)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <RuleTuner key={rule.version + ruleKey(rule)} rule={rule} incidentId={incidentId} marker={marker} />
        </>
      )}
    </section>
  );
}

function RuleTuner({ rule, incidentId, marker }: { rule: RuleView; incidentId: number; marker: number }) {
  const tunable = rule.thresholds.filter((threshold) => threshold.patchable);
  const [thresholdIndex, setThresholdIndex] = useState(tunable[0]?.index ?? 0);
  const [window, setWindow] = useState(DEFAULT_WINDOW);
  const baseline = useResource(`tune-baseline:${rule.version}:${thresholdIndex}:${window}`, () =>
    api.post<BaselineAnswer>(rulePath(rule, 'baseline'), { window, thresholdIndex }),
  );

  return (
    <>
      <p class="mono small tune-expr">
        {rule.expr} <span class="muted">for {formatPromDuration(rule.forSeconds)}</span>
      </p>
      <p class="muted small">
        {rule.file}:{rule.line} · group {rule.group}
      </p>
      {tunable.length === 0 ? (
        <p class="empty">
          Nothing to tune here: {rule.noThreshold ?? 'no threshold of this rule is a single number literal'}.
        </p>
      ) : (
        <>
          <div class="tune-controls">
            {tunable.length > 1 && (
              <label class="tune-control">
                Threshold{' '}
                <select value={thresholdIndex} onChange={(e) => setThresholdIndex(Number(e.currentTarget.value))}>
                  {tunable.map((threshold) => (
                    <option key={threshold.index} value={threshold.index}>
                      {threshold.observed} {threshold.operator} {threshold.value}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label class="tune-control">
              Window{' '}
              <select value={window} onChange={(e) => setWindow(e.currentTarget.value)}>
                {WINDOWS.map((w) => (
                  <option key={w} value={w}>
                    {w}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {baseline.error ? (
            <LoadError error={baseline.error} retry={baseline.reload} />
          ) : !baseline.data ? (
            <Loading label={`the last ${window}`} />
          ) : (
            <Tuner
              key={`${thresholdIndex}:${window}`}
              rule={rule}
              window={window}
              baseline={baseline.data}
              incidentId={incidentId}
              marker={marker}
            />
          )}
        </>
      )}
    </>
  );
}

function Tuner({
  rule,
  window,
  baseline,
  incidentId,
  marker,
}: {
  rule: RuleView;
  window: string;
  baseline: BaselineAnswer;
  incidentId: number;
  marker: number;
}) {
  const { index: thresholdIndex, value: current, observed } = baseline.threshold;
  const suggested = baseline.suggestion.threshold;
  const suggestedFor = formatPromDuration(baseline.suggestion.for ?? rule.forSeconds);
  const suggestion = useMemo(
    () => (suggested === null ? null : { threshold: suggested, for: suggestedFor }),
    [suggested, suggestedFor],
  );
  // The proposal starts as the suggestion: the seeds' method, ready to be adjusted.
  const [thresholdText, setThresholdText] = useState(String(suggested ?? current));
  const [forText, setForText] = useState(suggestedFor);
  const [keepFiringForText, setKeepFiringForText] = useState(formatPromDuration(rule.keepFiringForSeconds));
  const typed = thresholdText.trim() === '' ? Number.NaN : Number(thresholdText);
  const proposal: Proposal = {
    thresholdIndex,
    threshold: Number.isFinite(typed) ? typed : null,
    for: forText,
    keepFiringFor: keepFiringForText,
  };

  const { start, end, step } = baseline.window;
  const series = useResource(`tune-series:${observed}:${start}:${end}`, () =>
    api.post<WireQueryResult>('/query', { query: observed, start, end, step: chartStep(end - start, step) }),
  );

  const settled = useDebounced(JSON.stringify(proposal), BACKTEST_DELAY_MS);
  const asked = useMemo(() => backtestCandidates(JSON.parse(settled) as Proposal, suggestion), [settled, suggestion]);
  // Over the chart's own span (the baseline's end), not "until now": an unchanged candidate keeps its figures.
  const backtest = useResource(`tune-backtest:${rule.version}:${window}:${end}:${settled}`, () =>
    api.post<BacktestAnswer>(rulePath(rule, 'backtest'), { window, end, candidates: asked.candidates }),
  );
  const answer = backtest.data;
  const proposedBacktest = answer?.candidates[asked.proposedAt];
  const suggestedBacktest = asked.suggestedAt === null ? undefined : answer?.candidates[asked.suggestedAt];

  const decor = useMemo((): TuneDecor => {
    const periodWindow = { start, end };
    return {
      lines: { current, suggested, proposed: proposal.threshold },
      periods: {
        current: firingPeriods(answer?.current.episodes ?? [], periodWindow),
        proposed: firingPeriods(proposedBacktest?.episodes ?? [], periodWindow),
      },
      window: { from: start, to: end },
      marker,
    };
  }, [current, suggested, proposal.threshold, answer, proposedBacktest, start, end, marker]);
  const chart = useMemo(
    () => (series.data && 'series' in series.data ? chartSeries(series.data.series) : null),
    [series.data],
  );

  const overall = baseline.overall;
  return (
    <>
      <p class="small tune-baseline">
        Over the last {window}: p50 {formatValue(overall.p50, null)} · p95 {formatValue(overall.p95, null)} · max{' '}
        {formatValue(overall.max, null)} · coverage {Math.round(overall.coverage * 100)} %
        {overall.coverage < 1 && <span class="warning-text"> (Prometheus has data for part of the window only)</span>}.{' '}
        Suggested:{' '}
        {suggested === null ? 'none' : `${formatValue(suggested, null)} (p95 + ${baseline.suggestion.buffer * 100} %)`}.
      </p>
      <ul class="tune-legend small" aria-label="Chart legend">
        <li class="tune-key-current">current {formatValue(current, null)}</li>
        <li class="tune-key-suggested">suggested {formatValue(suggested, null)}</li>
        <li class="tune-key-proposed">proposed {formatValue(proposal.threshold, null)}</li>
        <li class="tune-key-shade-current">would have fired: current (top)</li>
        <li class="tune-key-shade-proposed">proposed (bottom)</li>
      </ul>
      {series.error ? (
        <LoadError error={series.error} retry={series.reload} />
      ) : !chart ? (
        <div class="cell-placeholder">Loading the observed expression…</div>
      ) : (
        <TuneChart series={chart} decor={decor} onPropose={(value) => setThresholdText(String(value))} />
      )}
      <div class="tune-controls">
        <label class="tune-control">
          Proposed threshold{' '}
          <input
            type="number"
            step="any"
            inputMode="decimal"
            value={thresholdText}
            onInput={(e) => setThresholdText(e.currentTarget.value)}
          />
        </label>
        <label class="tune-control">
          for{' '}
          <input
            type="text"
            list="tune-for-choices"
            size={6}
            value={forText}
            onInput={(e) => setForText(e.currentTarget.value)}
          />
          <datalist id="tune-for-choices">
            {FOR_CHOICES.map((choice) => (
              <option key={choice} value={choice} />
            ))}
          </datalist>
        </label>
        <label class="tune-control">
          keep_firing_for{' '}
          <input
            type="text"
            list="tune-for-choices"
            size={6}
            value={keepFiringForText}
            onInput={(e) => setKeepFiringForText(e.currentTarget.value)}
          />
        </label>
        {backtest.loading && <span class="muted small">backtesting…</span>}
      </div>
      {backtest.error && (
        <p class="inline-error" role="alert">
          {backtest.error.message}
        </p>
      )}
      <TuneNumbers
        answer={answer}
        columns={[
          { label: 'Current', threshold: current, backtest: answer?.current },
          ...(suggestion === null
            ? []
            : [{ label: 'Suggested', threshold: suggestion.threshold, backtest: suggestedBacktest }]),
          { label: 'Proposed', threshold: proposal.threshold, backtest: proposedBacktest },
        ]}
      />
      {proposedBacktest && (
        <p class="small tune-verdict" role="status">
          Proposed: {proposedBacktest.summary}.
        </p>
      )}
      <RecordDecision
        draft={{
          rule,
          thresholdIndex,
          to: proposedChange(rule, proposal),
          incidentId,
          evidence: {
            ...(baseline.id !== undefined && { baselineId: baseline.id }),
            ...(answer?.id !== undefined && { backtestId: answer.id }),
          },
        }}
      />
    </>
  );
}
