import type { Statistics } from '../../domain/tuning/baseline-statistics.js';
import { formatDuration } from '../../domain/tuning/format-duration.js';
import type { KnownRule } from '../../domain/tuning/known-rules.js';
import type { IncidentCounts, RecordedIncident } from '../../domain/tuning/recorded-incidents.js';
import type { RuleBacktest } from '../../domain/tuning/replay-candidates.js';

/** What `alertbook tune` found, as the table shows it. */
export interface TuneView {
  rule: KnownRule;
  window: string;
  baseline: {
    observed: string;
    step: number;
    excludedIncidents: number;
    overall: Statistics;
    operator: string;
    value: number;
  } | null;
  /** Null: no server was asked, so no incident is known. */
  incidents: IncidentCounts | null;
  rows: { label: string; threshold: number | null; backtest: RuleBacktest }[];
  /** "would have fired 3 times instead of 41 …", or why there is nothing to compare. */
  verdict: string;
}

const FIGURES = ['p50', 'p90', 'p95', 'p99', 'max', 'mean'] as const;

export function formatTune(view: TuneView): string {
  const { rule } = view;
  const lines = [`${rule.alertname} (group ${rule.group}, ${rule.file}:${rule.line})`, `  expr: ${rule.expr}`, ''];
  if (view.baseline) {
    const { overall } = view.baseline;
    lines.push(
      `Baseline of ${view.baseline.observed} over ${view.window} (step ${formatDuration(view.baseline.step)}), ` +
        `${view.baseline.excludedIncidents} incident period(s) left out`,
      `  ${FIGURES.map((name) => `${name} ${number(overall[name])}`).join('  ')}`,
      `  samples ${overall.samples}  coverage ${percent(overall.coverage)}  ` +
        `beyond ${view.baseline.operator} ${view.baseline.value}: ${overall.beyondThreshold === null ? '–' : percent(overall.beyondThreshold)}`,
      '',
    );
  }
  const table = [
    ['', 'threshold', 'for', 'keep_firing_for', 'firings', 'flaps', 'time firing', 'missed incidents'],
    ...view.rows.map(({ label, threshold, backtest }) => [
      label,
      threshold === null ? '–' : String(threshold),
      formatDuration(backtest.definition.forSeconds),
      formatDuration(backtest.definition.keepFiringForSeconds),
      String(backtest.firings),
      String(backtest.flaps),
      formatDuration(backtest.timeFiring),
      view.incidents ? `${backtest.missedIncidents.length} of ${view.incidents.acknowledged}` : '?',
    ]),
  ];
  lines.push(`Backtest over ${view.window}`, ...aligned(table), '', view.verdict);
  if (view.incidents) {
    const { count, acknowledged, noise } = view.incidents;
    lines.push(`Incidents recorded: ${count} (${acknowledged} acknowledged, ${noise} resolved unacknowledged)`);
    const missed = view.rows.at(-1)?.backtest.missedIncidents ?? [];
    lines.push(
      missed.length ? `MISSED INCIDENTS: ${missed.map(describeIncident).join(', ')}` : 'Missed incidents: none',
    );
  } else {
    lines.push('Missed incidents: not known (give --server to read the incidents Alertbook recorded)');
  }
  return `${lines.join('\n')}\n`;
}

function describeIncident(incident: RecordedIncident): string {
  const at = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return `#${incident.id} (${at(incident.start)}–${incident.end === null ? 'open' : at(incident.end)})`;
}

function aligned(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd());
}

function number(value: number | null): string {
  return value === null ? '–' : String(Number(value.toPrecision(3)));
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
