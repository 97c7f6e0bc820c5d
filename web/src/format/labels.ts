import type { Labels } from '../api/types.js';

/** A PromQL/Alertmanager string literal: double-quoted, with \ " and newlines escaped. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `{alertname="X", job="api"}`, labels in name order. */
export function formatMatchers(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${quoteLabelValue(labels[name]!)}`);
  return `{${pairs.join(', ')}}`;
}

/** The labels every set carries with the same value. */
export function commonLabels(sets: readonly Labels[]): Labels {
  const [first, ...rest] = sets;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([name, value]) => rest.every((set) => set[name] === value)));
}

/**
 * A legend name per series: only the labels that tell the series apart, so a
 * legend reads `route="/pay"` rather than repeating job and instance on every
 * line. A lone series gets its full label set; a label-less one, the query's value.
 */
export function seriesNames(metrics: readonly Labels[]): string[] {
  const shared = metrics.length > 1 ? commonLabels(metrics) : {};
  return metrics.map((metric) => {
    const distinct = Object.fromEntries(Object.entries(metric).filter(([name]) => !(name in shared)));
    const { __name__: name, ...rest } = distinct;
    if (Object.keys(rest).length === 0) return name ?? (metrics.length > 1 ? '{}' : 'value');
    return `${name ?? ''}${formatMatchers(rest)}`;
  });
}
