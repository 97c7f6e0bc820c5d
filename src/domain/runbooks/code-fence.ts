/** The info string of a fenced code block, read from the file's own fence line. */
export interface FenceInfo {
  /** First word of the info string, lower-cased: `promql`, `sh`, … */
  language: string;
  /** The rest of the info string (cell attributes for promql). */
  attributes: string;
  /** 1-based column of `attributes` on the fence line. */
  attributesColumn: number;
}

// A fence is 3+ backticks or tildes; it may follow indentation, `>` or a list marker.
const FENCE = /(`{3,}|~{3,})[ \t]*(\S*)/;

/**
 * Reads the source line rather than marked's `lang`, which has already unescaped
 * backslashes: `title="a \"quoted\" word"` must reach the attribute parser as written.
 */
export function readFenceInfo(fenceLine: string): FenceInfo | null {
  const fence = FENCE.exec(fenceLine);
  if (!fence) return null;
  const languageEnd = fence.index + fence[0].length;
  return {
    language: (fence[2] ?? '').toLowerCase(),
    attributes: fenceLine.slice(languageEnd),
    attributesColumn: languageEnd + 1,
  };
}
