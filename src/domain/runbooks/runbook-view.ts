import { LRUCache } from 'lru-cache';
import { parseRunbook } from './parse-runbook.js';
import { renderRunbookHtml } from './render-runbook.js';
import type { ParsedRunbook } from './runbook.js';

export interface StoredVersion {
  runbookId: string;
  sha: string;
  path: string;
  gitCommit: string | null;
  content: string;
  firstSeenAt: Date;
}

// Parsed and rendered versions, by path and content hash: every load of an
// incident's notebook shows its pinned version. Treated as read-only.
const renderedVersions = new LRUCache<string, { parsed: ParsedRunbook; html: string }>({ max: 500 });

/**
 * A stored version as the API shows it. The stored content is parsed again on
 * read: the parse is deterministic, so a version always renders the same, and
 * only the source text needs to be kept.
 */
export function runbookVersionView(version: StoredVersion) {
  const key = `${version.path}\n${version.sha}`;
  let rendered = renderedVersions.get(key);
  if (!rendered) {
    const parsed = parseRunbook({ path: version.path, content: version.content });
    rendered = { parsed, html: renderRunbookHtml(parsed) };
    renderedVersions.set(key, rendered);
  }
  const { parsed, html } = rendered;
  return {
    id: version.runbookId,
    title: parsed.title,
    alerts: parsed.alerts,
    match: parsed.match,
    owner: parsed.owner,
    datasource: parsed.datasource,
    path: version.path,
    version: { sha: version.sha, gitCommit: version.gitCommit, firstSeenAt: version.firstSeenAt },
    markdown: parsed.body,
    html,
    cells: parsed.cells,
    scriptCells: parsed.scriptCells,
    permissions: parsed.permissions,
    permissionsError: parsed.permissionsError,
    steps: parsed.steps,
    problems: parsed.problems,
  };
}

export type RunbookVersionView = ReturnType<typeof runbookVersionView>;
