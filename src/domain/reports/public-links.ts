import type { WeeklyReport } from './model.js';

// The report's fields that hold a path of the service: figures' recount queries, next steps, diffs, tune links.
const LINK_FIELDS = new Set(['query', 'denominator', 'link', 'diff']);

function absolute(node: unknown, origin: string): unknown {
  if (Array.isArray(node)) return node.map((x) => absolute(x, origin));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      LINK_FIELDS.has(key) && typeof value === 'string' && value.startsWith('/')
        ? `${origin}${value}`
        : absolute(value, origin),
    ]),
  );
}

/**
 * The report with every link made absolute under the service's public URL
 * (ALERTBOOK_PUBLIC_URL), for copies read outside the app: saved markdown and
 * HTML files, chat messages. Without a public URL the links stay relative to
 * the service's origin (they work in the app and its API only).
 */
export function withPublicLinks(report: WeeklyReport, publicUrl: string | null | undefined): WeeklyReport {
  if (!publicUrl) return report;
  return absolute(report, publicUrl.replace(/\/+$/, '')) as WeeklyReport;
}

/** A path of the service as a link readable outside the app: absolute under the public URL when there is one. */
export function publicLink(path: string, publicUrl: string | null | undefined): string {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path;
}
