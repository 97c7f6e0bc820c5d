import { summaryLine, type CheckOutcome } from './check-outcome.js';

/** `file:line:col: severity code: message`, the shape editors and CI logs link. */
export function formatText(outcome: CheckOutcome): string {
  const lines = outcome.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code}: ${p.message}`);
  return `${[...lines, summaryLine(outcome)].join('\n')}\n`;
}
