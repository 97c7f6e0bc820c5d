import type { CheckProblem } from '../../domain/check/check-problem.js';
import type { PermissionChange } from '../../domain/runbooks/permission-changes.js';
import type { ScriptPermissions } from '../../domain/runbooks/script-permissions.js';
import type { FileChange } from '../git-changes.js';
import type { TunedRuleChange } from '../tuned-rule-changes.js';

/** Everything an output format may show about one `alertbook check` run. */
export interface CheckOutcome {
  problems: CheckProblem[];
  errors: number;
  warnings: number;
  ruleCount: number;
  runbooks: RunbookSummary[];
  /**
   * Set with `--changed-since`: the ref, the runbook files changed since it, and the script
   * permissions those runbooks ask for beyond what they had there.
   */
  changes: { ref: string; files: FileChange[]; permissions: RunbookPermissionChanges[] } | null;
  /** Set with `--changed-since` and `--prometheus`: alerting rules whose threshold or `for` changed, backtested. */
  tuning?: TunedRuleChange[] | null;
}

export interface RunbookPermissionChanges {
  id: string;
  title: string;
  path: string;
  changes: PermissionChange[];
}

export interface RunbookSummary {
  id: string;
  /** As the user sees it (under the runbooks directory). */
  file: string;
  /** Relative to the runbooks directory, as git reports changes. */
  path: string;
  title: string;
  cells: number;
  scriptCells: number;
  /** What its script cells are granted, for the reviewer. */
  permissions: ScriptPermissions;
  steps: number;
}

/** `1 error`, `2 errors`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function summaryLine(outcome: CheckOutcome): string {
  return (
    `checked ${plural(outcome.runbooks.length, 'runbook')}, ${plural(outcome.ruleCount, 'rule')}: ` +
    `${plural(outcome.errors, 'error')}, ${plural(outcome.warnings, 'warning')}`
  );
}

/** "would have fired 41 → 3 times in the last 7d; missed incidents: none", or why there is no backtest. */
export function tuningVerdict(change: TunedRuleChange, window: string): string {
  if (!change.firings) return `not backtested: ${change.backtestError}`;
  const missed =
    change.missedIncidents === null
      ? 'not known (no --server)'
      : change.missedIncidents.length === 0
        ? 'none'
        : change.missedIncidents.map((incident) => `#${incident.id}`).join(', ');
  return `would have fired ${change.firings.before} → ${change.firings.after} times in the last ${window}; missed incidents: ${missed}`;
}
