import type { CellOutput } from '../../script-cells/cell-output.js';

/** A run's outputs as terminal text: tables as aligned columns, charts as one summary line per series. */
export function formatCellOutputs(outputs: CellOutput[]): string {
  return outputs.map(formatOutput).join('');
}

function formatOutput(output: CellOutput): string {
  switch (output.kind) {
    case 'text':
      return output.text;
    case 'markdown':
      return `${output.text}\n`;
    case 'json':
      return `${JSON.stringify(output.value, null, 2)}\n`;
    case 'table':
      return textTable(output.rows);
    case 'chart':
      return chartSummary(output);
  }
}

function textTable(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    `${values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  return line(columns) + line(widths.map((w) => '-'.repeat(w))) + cells.map(line).join('');
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function chartSummary(chart: Extract<CellOutput, { kind: 'chart' }>): string {
  const unit = chart.unit ? ` ${chart.unit}` : '';
  const header = `chart: ${chart.series.length} series${chart.threshold === undefined ? '' : `, threshold ${chart.threshold}${unit}`}\n`;
  const lines = chart.series.map((raw) => {
    const series = raw as { metric?: Record<string, string>; values?: [number, number | null][] };
    const values = (series.values ?? []).map(([, v]) => v).filter((v): v is number => typeof v === 'number');
    const name = Object.entries(series.metric ?? {})
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    const summary = values.length
      ? `last ${values.at(-1)}, min ${Math.min(...values)}, max ${Math.max(...values)}`
      : 'no points';
    return `  {${name}}  ${summary}${unit}\n`;
  });
  return header + lines.join('');
}
