import type { ScriptCell } from './script-cell.js';
import type { ScriptPermissions } from './script-permissions.js';

/**
 * The parsed shape of a runbook file (the format is specified in runbooks/README.md).
 * Everything here is plain data: the catalogue stores it, the CLI prints its
 * problems, the notebook renders its cells and steps.
 */

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A `{{ $labels.x }}`, `{{ $annotations.x }}` or `{{ $externalURL }}` inside a PromQL cell. */
export interface Placeholder {
  kind: 'labels' | 'annotations' | 'externalURL';
  /** The label or annotation name; null for externalURL. */
  name: string | null;
  /** 1-based position in the markdown file. */
  line: number;
  column: number;
}

/** A fenced ```promql block: a live chart in the notebook. */
export interface RunbookCell {
  /** Stable within one version: the `id` attribute, else a slug of the title, else `cell-<n>`. */
  id: string;
  title: string | null;
  /** The query as written, placeholders included (see template-query.ts). */
  query: string;
  instant: boolean;
  /** Seconds. */
  range: number | null;
  step: number | null;
  refresh: number | null;
  threshold: number | null;
  unit: string | null;
  /** 1-based line of the opening fence. */
  line: number;
  placeholders: Placeholder[];
}

/** A task-list item (`- [ ] …`): a diagnostic step the responder ticks off. */
export interface RunbookStep {
  /** `step-<slug of the text>`, deduplicated with `-2`, `-3`, … */
  id: string;
  text: string;
  checked: boolean;
  line: number;
}

export interface ShellBlock {
  lang: string;
  code: string;
  line: number;
}

/** Problems are values, never exceptions: a broken runbook still loads and says what is wrong where. */
export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** 1-based, in the markdown file. */
  line: number;
  column: number;
}

export interface ParsedRunbook {
  id: string;
  /** Relative to the runbooks directory, posix separators. */
  path: string;
  title: string;
  alerts: string[];
  match: LabelMatcher[];
  owner: string | null;
  datasource: string;
  /** Heading texts in document order. */
  sections: string[];
  cells: RunbookCell[];
  /** Fenced ```ts blocks, run by Deno with `permissions`. */
  scriptCells: ScriptCell[];
  permissions: ScriptPermissions;
  /** Why the permissions block is unusable (the script cells are disabled), or null. */
  permissionsError: string | null;
  steps: RunbookStep[];
  shellBlocks: ShellBlock[];
  /** The markdown after the frontmatter, line endings normalised to \n. */
  body: string;
  /** The whole file as given. */
  content: string;
  /** sha256 hex of `content`: the version key. */
  sha: string;
  problems: Problem[];
}
