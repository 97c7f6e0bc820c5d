/** A sample value short enough for an axis label or a table cell: 0.006, 1.5k, 2.3M. */
export function formatValue(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 0.01) return value.toExponential(1);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return String(Number(value.toPrecision(4)));
}
