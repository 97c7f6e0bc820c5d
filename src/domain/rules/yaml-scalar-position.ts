import type { LineCounter, Scalar } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Where the character at `offset` of a scalar's *value* sits in the YAML source.
 * Exact for the shapes rule files use for `expr` (plain one-liners, quoted strings
 * without escapes, `|` literal blocks); for folded or escaped scalars the value
 * no longer lines up with the source, so the scalar's own start is returned.
 */
export function positionInScalar(
  scalar: Scalar,
  offset: number,
  source: string,
  lineCounter: LineCounter,
): SourcePosition {
  const [start, valueEnd] = scalar.range ?? [0, 0];
  const value = String(scalar.value);
  const raw = source.slice(start, valueEnd);
  const at = (sourceOffset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(sourceOffset);
    return { line, column: col };
  };

  if (scalar.type === 'PLAIN' && raw === value) return at(start + offset);
  if ((scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) {
    return at(start + 1 + offset);
  }
  if (scalar.type === 'BLOCK_LITERAL') {
    const position = positionInLiteralBlock(raw, value, offset);
    if (position) {
      const header = at(start);
      return { line: header.line + position.lineOffset, column: position.column };
    }
  }
  return at(start);
}

/** A literal block keeps its lines one-to-one, each shifted by the block's indentation. */
function positionInLiteralBlock(raw: string, value: string, offset: number) {
  const contentLines = raw.split('\n').slice(1);
  const indent = contentLines.find((line) => line.trim() !== '')?.search(/\S/) ?? 0;
  const before = value.slice(0, offset).split('\n');
  const lineIndex = before.length - 1;
  const sourceLine = contentLines[lineIndex];
  if (sourceLine === undefined) return null;
  return { lineOffset: lineIndex + 1, column: indent + (before[lineIndex]?.length ?? 0) + 1 };
}
