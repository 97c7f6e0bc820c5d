import { parseRunbook } from './parse-runbook.js';
import { renderRunbookHtml } from './render-runbook.js';

export interface StoredVersion {
  runbookId: string;
  sha: string;
  path: string;
  gitCommit: string | null;
  content: string;
  firstSeenAt: Date;
}

/**
 * A stored version as the API shows it. The stored content is parsed again on
 * read: the parse is deterministic, so a version always renders the same, and
 * only the source text needs to be kept.
 */
export function runbookVersionView(version: StoredVersion) {
  const parsed = parseRunbook({ path: version.path, content: version.content });
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
    html: renderRunbookHtml(parsed),
    cells: parsed.cells,
    steps: parsed.steps,
    problems: parsed.problems,
  };
}

export type RunbookVersionView = ReturnType<typeof runbookVersionView>;
