import { formatDuration } from '../format/time.js';
import { formatValue } from '../format/value.js';
import type { BacktestAnswer, RuleBacktest } from './types.js';

export interface TuneColumn {
  label: string;
  threshold: number | null;
  backtest: RuleBacktest | undefined;
}

/**
 * What each definition would have done over the window: episodes, flaps, time
 * firing, and — first and loudest — the acknowledged incidents it would have missed.
 */
export function TuneNumbers({ answer, columns }: { answer: BacktestAnswer | null; columns: TuneColumn[] }) {
  const recorded = answer?.incidents;
  const cell = (render: (b: RuleBacktest) => string) => (column: TuneColumn) =>
    column.backtest ? render(column.backtest) : '…';
  return (
    <div class="table-scroll">
      <table class="tune-numbers" aria-label="Backtest">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Figure</span>
            </th>
            {columns.map((column) => (
              <th scope="col" key={column.label}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr class="missed-incidents">
            <th scope="row">Missed incidents{recorded && ` (of ${recorded.acknowledged} acknowledged)`}</th>
            {columns.map((column) => {
              const missed = column.backtest?.missedIncidents;
              return (
                <td key={column.label} class={`num${missed?.length ? ' missed' : ''}`}>
                  {!missed ? (
                    '…'
                  ) : missed.length === 0 ? (
                    'none'
                  ) : (
                    <>
                      {missed.length}:{' '}
                      {missed.map((incident, i) => (
                        <span key={incident.id}>
                          {i > 0 && ', '}
                          <a href={`/incidents/${incident.id}`}>#{incident.id}</a>
                        </span>
                      ))}
                    </>
                  )}
                </td>
              );
            })}
          </tr>
          <Row label="Threshold" columns={columns} value={(c) => formatValue(c.threshold, null)} />
          <Row label="Episodes" columns={columns} value={cell((b) => String(b.firings))} />
          <Row label="Flaps (< 5 min)" columns={columns} value={cell((b) => String(b.flaps))} />
          <Row label="Time firing" columns={columns} value={cell((b) => formatDuration(b.timeFiring * 1000))} />
        </tbody>
      </table>
    </div>
  );
}

function Row({ label, columns, value }: { label: string; columns: TuneColumn[]; value(c: TuneColumn): string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {columns.map((column) => (
        <td key={column.label} class="num">
          {value(column)}
        </td>
      ))}
    </tr>
  );
}
