import type { CheckOutcome } from './check-outcome.js';

/** A stable document for other tools: summary counts, problems, runbooks and (with --changed-since) changes. */
export function formatJson(outcome: CheckOutcome): string {
  const document = {
    summary: {
      runbooks: outcome.runbooks.length,
      rules: outcome.ruleCount,
      errors: outcome.errors,
      warnings: outcome.warnings,
    },
    problems: outcome.problems.map(({ file, line, column, severity, code, message }) => ({
      file,
      line,
      column,
      severity,
      code,
      message,
    })),
    runbooks: outcome.runbooks.map(({ id, file, title, cells, steps }) => ({ id, file, title, cells, steps })),
    changes: outcome.changes,
    ...(outcome.tuning ? { tuning: outcome.tuning } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
