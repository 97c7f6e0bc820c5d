import { formatPromDuration } from '../format/time.js';

/**
 * Links into the Prometheus that raised the alert. Its base URL is read from
 * the alert's `generatorURL` (`<external URL>/graph?g0.expr=…`), the one
 * place Prometheus states its own address.
 */
export function prometheusBase(generatorUrl: string | null | undefined): string | null {
  if (!generatorUrl) return null;
  let url: URL;
  try {
    url = new URL(generatorUrl);
  } catch {
    return null; // relative or malformed: nothing to link to
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const graph = url.pathname.lastIndexOf('/graph');
  const prefix = graph >= 0 ? url.pathname.slice(0, graph) : url.pathname.replace(/\/+$/, '');
  return `${url.origin}${prefix}`;
}

/** The graph page for a query over the last `rangeSeconds`, or as a table for instant cells. */
export function prometheusGraphUrl(
  base: string,
  query: string,
  options: { rangeSeconds: number | null; instant: boolean },
): string {
  const params = new URLSearchParams({ 'g0.expr': query, 'g0.tab': options.instant ? '1' : '0' });
  if (!options.instant && options.rangeSeconds) params.set('g0.range_input', formatPromDuration(options.rangeSeconds));
  return `${base}/graph?${params.toString()}`;
}
