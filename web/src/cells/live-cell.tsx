import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { formatPromDuration } from '../format/time.js';
import { prometheusGraphUrl } from '../links/prometheus-url.js';
import { useCellData } from '../live/hooks.js';
import type { CellRef } from '../live/protocol.js';
import type { SeriesState } from '../live/series-state.js';
import { CellStatusLine } from './cell-status-line.js';
import type { ChartDecor } from './chart-options.js';
import { InstantTable } from './instant-table.js';
import { QueryError } from './query-error.js';
import { SeriesChart } from './series-chart.js';

const RANGES = [300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400];
const REFRESHES = [5, 15, 30, 60, 300];

export interface LiveCellProps {
  target: CellRef;
  title: string;
  /** The query as sent to Prometheus (an incident cell: with the alert's labels filled in). */
  query: string;
  instant: boolean;
  unit: string | null;
  threshold: number | null;
  /** Set when `threshold` is the firing rule's: its comparison, shown on the line. */
  thresholdOperator?: string | null;
  /** Said under the chart about its threshold line, when there is more to it than the line shows. */
  thresholdNote?: ComponentChildren;
  /** The range shown first, seconds; null: the server's default window. */
  defaultRange: number | null;
  /** The runbook cell's own range, one click away (marked "runbook"). */
  cellRange?: number | null;
  /** Where this viewer's chosen range is kept (localStorage), e.g. per runbook cell; null: not kept. */
  rangeKey?: string | null;
  /** Label of the server's default window, e.g. "since incident". */
  defaultRangeLabel: string;
  /**
   * The window is fixed (a resolved incident): the server charts the incident's
   * window whatever range is asked, so there is no range to choose and nothing to refresh.
   */
  fixedWindow: boolean;
  /** Unix seconds for the incident-start marker. */
  marker: number | null;
  syncKey: string | null;
  prometheusBase: string | null;
  /** Keeps the data shown now on the incident's timeline. */
  onPin: ((window: { start: number; end: number; step: number }) => Promise<void>) | null;
}

/** One PromQL cell, live: its controls, then a chart (or a table for instant cells), or its error in place. */
export function LiveCell(props: LiveCellProps) {
  const [range, setRange] = useStoredRange(props.rangeKey ?? null, props.defaultRange);
  const ranges = [...new Set([...(props.cellRange ? [props.cellRange] : []), ...RANGES])].sort((a, b) => a - b);
  const [refresh, setRefresh] = useState<number | null>(null);
  const { state, error, updatedAt } = useCellData({
    cell: props.target,
    ...(range !== null && !props.fixedWindow && { range }),
    ...(refresh !== null && { refresh }),
  });
  const decor: ChartDecor = {
    unit: props.unit,
    threshold: props.threshold,
    thresholdOperator: props.thresholdOperator ?? null,
    marker: props.marker,
    syncKey: props.syncKey,
  };

  return (
    <section class="cell" aria-label={props.title}>
      <header class="cell-head">
        <h4 class="cell-title">{props.title}</h4>
        <div class="cell-controls">
          {props.fixedWindow ? (
            <span class="cell-window">{props.defaultRangeLabel}</span>
          ) : (
            <label>
              <span class="visually-hidden">Range</span>
              <select
                value={range ?? ''}
                onChange={(e) => setRange(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
              >
                {props.defaultRange === null && <option value="">{props.defaultRangeLabel}</option>}
                {ranges.map((seconds) => (
                  <option value={seconds}>
                    last {formatPromDuration(seconds)}
                    {seconds === props.cellRange ? ' (runbook)' : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!props.fixedWindow && (
            <label>
              <span class="visually-hidden">Refresh</span>
              <select
                value={refresh ?? ''}
                onChange={(e) => setRefresh(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
              >
                <option value="">auto refresh</option>
                {REFRESHES.map((seconds) => (
                  <option value={seconds}>every {formatPromDuration(seconds)}</option>
                ))}
              </select>
            </label>
          )}
          {props.prometheusBase && (
            <a
              class="button"
              href={prometheusGraphUrl(props.prometheusBase, props.query, {
                rangeSeconds: state ? state.to - state.from : range,
                instant: props.instant,
              })}
              target="_blank"
              rel="noopener noreferrer"
            >
              Open in Prometheus
            </a>
          )}
          {props.onPin && <PinButton state={state} onPin={props.onPin} />}
        </div>
      </header>
      <pre class="cell-query">
        <code>{props.query}</code>
      </pre>
      <div class={props.instant ? 'cell-body cell-body-table' : 'cell-body'}>
        {error && (
          <QueryError message={error.message} query={props.query} position={error.position} retrying={error.retrying} />
        )}
        {/* With data already shown, a failing refresh keeps it on screen under the error. */}
        {(state || !error) && <CellBody state={state} instant={props.instant} decor={decor} />}
      </div>
      {props.thresholdNote && <p class="cell-threshold-note">{props.thresholdNote}</p>}
      <CellStatusLine state={state} updatedAt={updatedAt} />
    </section>
  );
}

/** The range this viewer chose for the cell, kept under `key`; `fallback` until they choose. */
function useStoredRange(key: string | null, fallback: number | null): [number | null, (range: number | null) => void] {
  const [range, setRange] = useState<number | null>(() => {
    const stored = key === null ? null : readStorage(key);
    if (stored === null) return fallback;
    return stored === '' ? null : Number(stored) > 0 ? Number(stored) : fallback;
  });
  const choose = (chosen: number | null) => {
    setRange(chosen);
    if (key !== null) writeStorage(key, chosen === null ? '' : String(chosen));
  };
  return [range, choose];
}

// Storage may be unavailable (private mode, disabled): the choice then lasts until the page is left.
function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // not kept, see readStorage
  }
}

function CellBody({ state, instant, decor }: { state: SeriesState | null; instant: boolean; decor: ChartDecor }) {
  if (!state) {
    return (
      <div class="cell-placeholder" aria-busy="true">
        Loading…
      </div>
    );
  }
  if (state.series.length === 0)
    return <div class="cell-placeholder">No data: the query matched no series in this window.</div>;
  if (instant) return <InstantTable series={state.series} unit={decor.unit} threshold={decor.threshold} />;
  return <SeriesChart state={state} decor={decor} />;
}

function PinButton({ state, onPin }: { state: SeriesState | null; onPin: NonNullable<LiveCellProps['onPin']> }) {
  const [status, setStatus] = useState<'idle' | 'pinning' | 'pinned' | 'failed'>('idle');
  const pin = async () => {
    if (!state) return;
    setStatus('pinning');
    try {
      await onPin({ start: state.from, end: state.to, step: state.step });
      setStatus('pinned');
    } catch {
      setStatus('failed');
    }
  };
  const label = { idle: 'Pin snapshot', pinning: 'Pinning…', pinned: 'Pinned ✓', failed: 'Pin failed, retry' }[status];
  return (
    <button
      type="button"
      disabled={!state || status === 'pinning'}
      onClick={pin}
      title="Keep this data on the incident timeline"
    >
      {label}
    </button>
  );
}
