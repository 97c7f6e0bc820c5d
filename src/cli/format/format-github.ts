import { summaryLine, type CheckOutcome } from './check-outcome.js';

/**
 * GitHub Actions workflow commands: each problem becomes an annotation on the
 * pull request's diff (`::error file=…,line=…,col=…,title=…::message`).
 */
export function formatGithub(outcome: CheckOutcome): string {
  const lines = outcome.problems.map((p) => {
    const properties = [
      `file=${escapeProperty(p.file)}`,
      `line=${p.line}`,
      `col=${p.column}`,
      `title=${escapeProperty(p.code)}`,
    ];
    return `::${p.severity} ${properties.join(',')}::${escapeData(p.message)}`;
  });
  return `${[...lines, summaryLine(outcome)].join('\n')}\n`;
}

// As GitHub's toolkit escapes them (actions/toolkit, packages/core/src/command.ts).
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
