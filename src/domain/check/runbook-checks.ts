import { matcherRegex } from '../runbooks/link-runbook.js';
import type { CheckProblem } from './check-problem.js';
import { frontmatterLine, type LocatedRunbook } from './check-subjects.js';

/** Prometheus refuses range queries with more points per series (`exceeded maximum resolution of 11,000 points`). */
export const MAX_POINTS_PER_SERIES = 11_000;

/** Checks of one runbook that the parser leaves to us: query resolution and `match` regexes. */
export function checkRunbook({ file, runbook }: LocatedRunbook): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const cell of runbook.cells) {
    if (cell.instant || cell.range === null || cell.step === null) continue;
    const points = cell.range / cell.step;
    if (points <= MAX_POINTS_PER_SERIES) continue;
    problems.push({
      file,
      severity: 'error',
      code: 'too-many-points',
      message:
        `cell "${cell.id}": range/step gives ${Math.ceil(points)} points, Prometheus allows ${MAX_POINTS_PER_SERIES}; ` +
        `use step=${Math.ceil(cell.range / MAX_POINTS_PER_SERIES)}s or more`,
      line: cell.line,
      column: 1,
    });
  }
  for (const { label, op, value } of runbook.match) {
    if ((op !== '=~' && op !== '!~') || matcherRegex(value) !== null) continue;
    problems.push({
      file,
      severity: 'error',
      code: 'invalid-match-regex',
      message: `match.${label}: "${value}" is not a valid regular expression, so the runbook would never apply`,
      line: frontmatterLine(runbook, 'match', `${label}:`),
      column: 1,
    });
  }
  return problems;
}
