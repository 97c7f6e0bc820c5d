/**
 * Sample values in the unit a cell declares (Grafana's unit names, which
 * runbook authors already know). Unknown units print as plain numbers with the
 * unit name after them.
 */

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];
const BINARY_PREFIXES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trim(value: number, digits = 3): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(digits)).toString();
}

function scaled(value: number, base: number, prefixes: string[], separator: string): string {
  let index = 0;
  let scaledValue = value;
  while (Math.abs(scaledValue) >= base && index < prefixes.length - 1) {
    scaledValue /= base;
    index += 1;
  }
  const prefix = prefixes[index];
  return prefix ? `${trim(scaledValue)}${separator}${prefix}` : trim(scaledValue);
}

function seconds(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0s';
  if (abs < 1e-3) return `${trim(value * 1e6)}µs`;
  if (abs < 1) return `${trim(value * 1e3)}ms`;
  if (abs < 60) return `${trim(value)}s`;
  if (abs < 3600) return `${trim(value / 60)}min`;
  return `${trim(value / 3600)}h`;
}

export function formatValue(value: number | null | undefined, unit: string | null): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'percentunit':
      return `${trim(value * 100)}%`;
    case 'percent':
      return `${trim(value)}%`;
    case 's':
      return seconds(value);
    case 'ms':
      return seconds(value / 1000);
    case 'bytes':
      return scaled(value, 1024, BINARY_PREFIXES, ' ');
    case 'reqps':
      return `${scaled(value, 1000, SI_PREFIXES, '')} req/s`;
    case 'ops':
      return `${scaled(value, 1000, SI_PREFIXES, '')} ops/s`;
    case null:
    case 'short':
    case 'none':
      return scaled(value, 1000, SI_PREFIXES, '');
    default:
      return `${scaled(value, 1000, SI_PREFIXES, '')} ${unit}`;
  }
}
