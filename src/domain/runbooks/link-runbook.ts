/**
 * Which runbook serves an alert. One pure module used by both the live service
 * (linking incoming alerts) and `alertbook check` (linking alerting rules), so the
 * two agree by construction. Precedence:
 *   1. a `runbook_url` annotation that points at one of our runbooks;
 *   2. a runbook listing the alertname in its frontmatter `alerts` whose `match`
 *      matchers accept the alert's labels (most matchers wins, ties by id);
 *   3. a runbook file named after the alertname (`APIErrorRateHigh.md` or
 *      `api-error-rate-high.md`);
 *   4. any other `runbook_url`, as an external link.
 */
import type { LabelMatcher, ParsedRunbook } from './runbook.js';

export type CatalogueEntry = Pick<ParsedRunbook, 'id' | 'path' | 'alerts' | 'match'>;

export type RunbookMatch =
  | { kind: 'runbook'; id: string; via: 'runbook_url' | 'frontmatter' | 'filename' }
  | { kind: 'external'; url: string };

export interface AlertIdentity {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * Finds the runbook for an alert over one catalogue, indexed once: the check
 * links every rule with one, the live service keeps one per catalogue reload.
 * The catalogue is read at construction; later changes to it are not seen.
 */
export class RunbookFinder {
  private readonly byAlert = new Map<string, CatalogueEntry[]>();
  /** By id and by path without `.md`. */
  private readonly byName = new Map<string, CatalogueEntry[]>();
  /** By file name without `.md`. */
  private readonly byStem = new Map<string, CatalogueEntry[]>();

  constructor(catalogue: readonly CatalogueEntry[]) {
    // Inserted in id order, so the first entry of every list is the deterministic pick.
    const byId = [...catalogue].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const entry of byId) {
      for (const alertname of new Set(entry.alerts)) add(this.byAlert, alertname, entry);
      for (const name of new Set([entry.id, withoutMd(entry.path)])) add(this.byName, name, entry);
      add(this.byStem, withoutMd(fileName(entry.path)), entry);
    }
  }

  find(alert: AlertIdentity): RunbookMatch | null {
    const url = alert.annotations.runbook_url?.trim() ?? '';
    const byUrl = url ? this.idForUrl(url) : null;
    if (byUrl) return { kind: 'runbook', id: byUrl, via: 'runbook_url' };

    const alertname = alert.labels.alertname ?? '';
    const claimed = alertname ? this.mostSpecificClaim(alertname, alert.labels) : undefined;
    if (claimed) return { kind: 'runbook', id: claimed.id, via: 'frontmatter' };

    const named = alertname
      ? runbookFileNamesFor(alertname)
          .map((name) => this.byStem.get(withoutMd(name))?.[0])
          .find(Boolean)
      : undefined;
    if (named) return { kind: 'runbook', id: named.id, via: 'filename' };

    return url ? { kind: 'external', url } : null;
  }

  /**
   * The runbook a `runbook_url` of ours points at: the one whose id (or path
   * without `.md`) the URL names, else the one whose file name is the URL's last
   * segment. Null when the URL is not ours or names no runbook.
   */
  idForUrl(url: string): string | null {
    const named = runbookIdNamedByUrl(url);
    if (named === null) return null;
    const found = this.byName.get(named)?.[0] ?? this.byStem.get(named.slice(named.lastIndexOf('/') + 1))?.[0];
    return found?.id ?? null;
  }

  /** Most matchers wins; among equals the lowest id, because candidates come in id order. */
  private mostSpecificClaim(alertname: string, labels: Record<string, string>): CatalogueEntry | undefined {
    let best: CatalogueEntry | undefined;
    for (const entry of this.byAlert.get(alertname) ?? []) {
      if ((!best || entry.match.length > best.match.length) && matchesLabels(entry.match, labels)) best = entry;
    }
    return best;
  }
}

/** Prometheus semantics: an absent label reads as "", regexes are fully anchored RE2. */
export function matchesLabels(matchers: readonly LabelMatcher[], labels: Record<string, string>): boolean {
  return matchers.every(({ label, op, value }) => {
    const actual = Object.hasOwn(labels, label) ? (labels[label] ?? '') : '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return matcherRegex(value)?.test(actual) ?? false;
      case '!~': {
        // An invalid regex never lets a runbook apply, whichever way it is negated.
        const regex = matcherRegex(value);
        return regex ? !regex.test(actual) : false;
      }
    }
  });
}

/**
 * A `runbook_url` that is relative, or has a `/runbooks/` path, is meant to
 * point at our runbooks; anything else is somebody else's page.
 */
export function isOurRunbookUrl(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url) || urlPath(url).includes('/runbooks/');
}

/**
 * The runbook id a `runbook_url` of ours names: the path after `/runbooks/`, or
 * the whole relative path, without `.md`/`.html`. Null for somebody else's URL.
 */
export function runbookIdNamedByUrl(url: string): string | null {
  if (!isOurRunbookUrl(url)) return null;
  const path = `/${urlPath(url)}`.replace(/^\/+/, '/').replace(/\.(md|html?)$/i, '');
  const marker = path.lastIndexOf('/runbooks/');
  return marker >= 0 ? path.slice(marker + '/runbooks/'.length) : path.replace(/^\/(\.\.?\/)*/, '');
}

/** The file names that serve an alert by name alone: as written, and in kebab case. */
export function runbookFileNamesFor(alertname: string): string[] {
  const kebab = alertname
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2') // APIError → API-Error
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2') // RateHigh → Rate-High
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
  return [...new Set([`${alertname}.md`, `${kebab}.md`])];
}

function add(index: Map<string, CatalogueEntry[]>, key: string, entry: CatalogueEntry): void {
  const entries = index.get(key);
  if (entries) entries.push(entry);
  else index.set(key, [entry]);
}

function withoutMd(path: string): string {
  return path.replace(/\.md$/i, '');
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The path of a URL, absolute or relative, without query, fragment or trailing slash, percent-decoded. */
function urlPath(url: string): string {
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*|^\/\/[^/]*/i, '');
  const path = withoutScheme.replace(/[?#].*$/, '').replace(/\/+$/, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const regexCache = new Map<string, RegExp | null>();

/**
 * A `=~`/`!~` matcher's regex as Prometheus compiles it, `^(?s:<re>)$`, or null when
 * it does not compile. JavaScript reads RE2's common syntax the same way, except
 * a leading inline-flag group, which becomes a flag.
 */
export function matcherRegex(source: string): RegExp | null {
  let regex = regexCache.get(source);
  if (regex !== undefined) return regex;
  const caseInsensitive = source.startsWith('(?i)');
  try {
    regex = new RegExp(`^(?:${caseInsensitive ? source.slice(4) : source})$`, caseInsensitive ? 'si' : 's');
  } catch {
    regex = null;
  }
  regexCache.set(source, regex);
  return regex;
}
