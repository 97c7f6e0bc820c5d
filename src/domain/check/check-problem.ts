import type { Problem } from '../runbooks/runbook.js';

/** A problem with the file it is in, as the user would open it. */
export interface CheckProblem extends Problem {
  file: string;
}

export function withFile(file: string, problems: readonly Problem[]): CheckProblem[] {
  return problems.map((problem) => ({ file, ...problem }));
}

/** File, then position, then code: the order an editor and a reviewer read them in. */
export function sortProblems(problems: CheckProblem[]): CheckProblem[] {
  return problems.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

export function countBySeverity(problems: readonly CheckProblem[]): { errors: number; warnings: number } {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}
