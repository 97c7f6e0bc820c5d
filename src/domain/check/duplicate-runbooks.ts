import type { CheckProblem } from './check-problem.js';
import { frontmatterLine, type LocatedRunbook } from './check-subjects.js';
import { matchersOverlap } from './matchers-overlap.js';

/**
 * Two runbooks with one id, or two runbooks the live service could not choose
 * between: same alert, same number of `match` matchers (specificity), and some
 * label set both accept. Reported on the later file, naming the earlier one.
 */
export function checkDuplicateRunbooks(runbooks: readonly LocatedRunbook[]): CheckProblem[] {
  const byPath = [...runbooks].sort((a, b) => (a.file < b.file ? -1 : 1));
  const problems: CheckProblem[] = [];

  const firstWithId = new Map<string, LocatedRunbook>();
  for (const located of byPath) {
    const first = firstWithId.get(located.runbook.id);
    if (!first) {
      firstWithId.set(located.runbook.id, located);
      continue;
    }
    problems.push({
      file: located.file,
      severity: 'error',
      code: 'duplicate-runbook-id',
      message: `runbook id "${located.runbook.id}" is also the id of ${first.file}; ids must be unique`,
      line: frontmatterLine(located.runbook, 'id'),
      column: 1,
    });
  }

  const claimants = new Map<string, LocatedRunbook[]>();
  for (const located of byPath) {
    for (const alertname of new Set(located.runbook.alerts)) {
      const earlier = claimants.get(alertname) ?? [];
      for (const other of earlier) {
        const { match } = located.runbook;
        if (match.length !== other.runbook.match.length || !matchersOverlap(match, other.runbook.match)) continue;
        problems.push({
          file: located.file,
          severity: 'error',
          code: 'ambiguous-runbook',
          message:
            `alert ${alertname} is claimed by both ${other.file} and ${located.file} with equally specific, ` +
            `overlapping match (${match.length} matcher${match.length === 1 ? '' : 's'}); ` +
            'add a matcher to the more specific one or make their matchers exclude each other',
          line: frontmatterLine(located.runbook, 'alerts', alertname),
          column: 1,
        });
      }
      claimants.set(alertname, [...earlier, located]);
    }
  }
  return problems;
}
