import { parseCellAttributes } from './cell-attributes.js';
import type { FenceInfo } from './code-fence.js';
import { findPlaceholders } from './placeholders.js';
import type { Problem, RunbookCell } from './runbook.js';
import { slugify } from './slug.js';
import { checkQueryTemplate } from './template-query.js';

export interface CodeBlock {
  /** The code as marked gives it: de-indented when the fence is nested in a list or quote. */
  code: string;
  /** 1-based file line of the opening fence. */
  line: number;
  info: FenceInfo;
}

/**
 * A ```promql block as a notebook cell, with every problem placed on the file's
 * line and column. `ordinal` is the cell's 1-based position, for the `cell-<n>` id.
 */
export function readPromqlCell(
  block: CodeBlock,
  ordinal: number,
  fileLines: readonly string[],
): {
  cell: RunbookCell;
  problems: Problem[];
} {
  const { attributes, problems: attributeProblems } = parseCellAttributes(block.info.attributes);
  const position = queryPositions(block, fileLines);

  const problems: Problem[] = attributeProblems.map(({ code, message, offset }) => ({
    severity: 'error',
    code,
    message,
    line: block.line,
    column: block.info.attributesColumn + offset,
  }));
  for (const { code, message, offset } of checkQueryTemplate(block.code)) {
    problems.push({ severity: 'error', code, message, ...position(offset) });
  }

  const cell: RunbookCell = {
    id: attributes.id ?? (slugify(attributes.title ?? '') || `cell-${ordinal}`),
    title: attributes.title,
    query: block.code,
    instant: attributes.instant,
    range: attributes.range,
    step: attributes.step,
    refresh: attributes.refresh,
    threshold: attributes.threshold,
    unit: attributes.unit,
    line: block.line,
    placeholders: findPlaceholders(block.code).placeholders.map(({ kind, name, start }) => ({
      kind,
      name,
      ...position(start),
    })),
  };
  return { cell, problems };
}

/** Maps an offset in the query to a line and column in the file (query line k is on fence line + 1 + k). */
function queryPositions(block: CodeBlock, fileLines: readonly string[]) {
  const queryLines = block.code.split('\n');
  return (offset: number): { line: number; column: number } => {
    const before = block.code.slice(0, offset);
    const lineIndex = before.split('\n').length - 1;
    const columnInQuery = offset - (before.lastIndexOf('\n') + 1);
    const line = block.line + 1 + lineIndex;
    // marked strips the nesting indentation (or `> `); the file line ends with the query line.
    const fileLine = fileLines[line - 1] ?? '';
    const queryLine = queryLines[lineIndex] ?? '';
    const indent = fileLine.endsWith(queryLine) ? fileLine.length - queryLine.length : 0;
    return { line, column: indent + columnInQuery + 1 };
  };
}
