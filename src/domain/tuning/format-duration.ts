const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** Seconds as the shortest Prometheus duration that says them (`90` → `1m30s`, `0` → `0s`); milliseconds as `ms`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds * 1000);
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / (size * 1000));
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size * 1000;
  }
  return rest > 0 ? `${text}${rest}ms` : text;
}

/** A threshold as PromQL reads it back to the same number: the shortest round-tripping decimal. */
export function formatThreshold(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
