import { extractThresholds, type NoThresholdReason, type Span, type Threshold } from './extract-thresholds.js';
import type { AlertingRuleNodes } from './rule-file-nodes.js';
import { sourceSpanInScalar } from './scalar-source.js';

export interface FileSpan extends Span {
  /** 1-based, of `from`. */
  line: number;
  column: number;
}

export interface LocatedThreshold extends Threshold {
  /** Where the constant is written in the rule file; null when the YAML escapes it (then it is not patchable). */
  source: FileSpan | null;
}

export type LocatedExtraction =
  | { thresholds: LocatedThreshold[]; noThreshold?: undefined }
  | { thresholds: []; noThreshold: NoThresholdReason };

/** A rule's thresholds with the exact span of each constant in the YAML file. */
export function locateThresholds(content: string, rule: AlertingRuleNodes): LocatedExtraction {
  const extraction = extractThresholds(String(rule.expr.value));
  if (extraction.noThreshold) return extraction;
  return {
    thresholds: extraction.thresholds.map((threshold) => {
      const span = sourceSpanInScalar(rule.expr, content, threshold.span);
      const source = span && { ...span, ...lineAndColumn(content, span.from) };
      return { ...threshold, source, patchable: threshold.patchable && source !== null };
    }),
  };
}

function lineAndColumn(content: string, offset: number): { line: number; column: number } {
  const before = content.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
