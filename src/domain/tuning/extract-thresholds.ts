import { parsePromql } from '../runbooks/promql-syntax.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { expressionChildren, type PromqlNode } from '../rules/check-expression.js';

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** Offsets into the expression string, `to` exclusive. */
export interface Span {
  from: number;
  to: number;
}

export interface Threshold {
  /** Position among the rule's thresholds, in source order: what `thresholdIndex` refers to. */
  index: number;
  value: number;
  /** The constant as written (`0.05`, `1e3`, `-1`, `0.5 * 2`). */
  text: string;
  span: Span;
  /** Read as `observed <operator> value`: a literal on the left is turned around (`0.05 < x` is `x > 0.05`). */
  operator: ComparisonOperator;
  /** Which way the observed value has to move to match: what a buffer widens. */
  direction: 'above' | 'below' | 'equal' | 'not-equal';
  /** `> bool`: the comparison yields 0/1 instead of filtering. */
  bool: boolean;
  /** The expression the threshold is compared with: what a baseline observes. */
  observed: string;
  observedSpan: Span;
  /** A single number literal, optionally signed; arithmetic of literals (`0.5 * 2`) is reported, never patched. */
  patchable: boolean;
}

export type NoThresholdReason = 'compared with another series' | 'no comparison' | 'expression does not parse';

export type ThresholdExtraction =
  | { thresholds: Threshold[]; noThreshold?: undefined }
  | { thresholds: []; noThreshold: NoThresholdReason };

const COMPARISONS: Record<string, ComparisonOperator> = {
  Gtr: '>',
  Gte: '>=',
  Lss: '<',
  Lte: '<=',
  Eql: '==',
  Neq: '!=',
};
const TURNED_AROUND: Record<ComparisonOperator, ComparisonOperator> = {
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
  '==': '==',
  '!=': '!=',
};
const DIRECTION: Record<ComparisonOperator, Threshold['direction']> = {
  '>': 'above',
  '>=': 'above',
  '<': 'below',
  '<=': 'below',
  '==': 'equal',
  '!=': 'not-equal',
};

/**
 * Every comparison of an expression with a constant, read from the PromQL syntax
 * tree (lezer-promql), wherever it sits: under `and`/`or`/`unless`, in
 * parentheses, inside aggregations. A comparison of two constants is no
 * threshold; an expression with comparisons but none against a constant says so.
 */
export function extractThresholds(expr: string): ThresholdExtraction {
  const tree = parsePromql(expr);
  let broken = false;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) broken = true;
      return !broken;
    },
  });
  if (broken) return { thresholds: [], noThreshold: 'expression does not parse' };

  const thresholds: Threshold[] = [];
  let comparisons = 0;
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'BinaryExpr') return;
      const node = ref.node;
      const operatorName = operatorOf(node);
      const operator = operatorName ? COMPARISONS[operatorName] : undefined;
      if (!operator) return;
      comparisons++;
      const [left, right] = expressionChildren(node);
      if (!left || !right) return;
      const leftValue = constantValue(left, expr);
      const rightValue = constantValue(right, expr);
      if ((leftValue === null) === (rightValue === null)) return;
      const [written, value, observed, readAs] =
        rightValue !== null ? [right, rightValue, left, operator] : [left, leftValue!, right, TURNED_AROUND[operator]];
      const constant = withoutParentheses(written);
      thresholds.push({
        index: 0,
        value,
        text: expr.slice(constant.from, constant.to),
        span: { from: constant.from, to: constant.to },
        operator: readAs,
        direction: DIRECTION[readAs],
        bool: node.getChild('BoolModifier') !== null,
        observed: expr.slice(observed.from, observed.to),
        observedSpan: { from: observed.from, to: observed.to },
        patchable: isSignedLiteral(constant),
      });
    },
  });
  if (thresholds.length === 0) {
    return { thresholds: [], noThreshold: comparisons > 0 ? 'compared with another series' : 'no comparison' };
  }
  thresholds.sort((a, b) => a.span.from - b.span.from).forEach((threshold, index) => (threshold.index = index));
  return { thresholds };
}

/** The binary operator's node name (`Gtr`, `And`, `Div`…): the one child that is neither an operand nor a modifier. */
function operatorOf(binary: PromqlNode): string | undefined {
  for (let child = binary.firstChild; child; child = child.nextSibling) {
    if (COMPARISONS[child.name] !== undefined) return child.name;
  }
  return undefined;
}

function withoutParentheses(node: PromqlNode): PromqlNode {
  const inner = node.name === 'ParenExpr' ? expressionChildren(node)[0] : undefined;
  return inner ? withoutParentheses(inner) : node;
}

function isSignedLiteral(node: PromqlNode): boolean {
  if (node.name === 'NumberDurationLiteral') return true;
  if (node.name === 'UnaryExpr') return expressionChildren(node)[0]?.name === 'NumberDurationLiteral';
  return false;
}

/** The value of an expression made only of number literals, or null when it depends on series. */
function constantValue(node: PromqlNode, expr: string): number | null {
  switch (node.name) {
    case 'NumberDurationLiteral':
      return numberLiteralValue(expr.slice(node.from, node.to));
    case 'ParenExpr': {
      const inner = expressionChildren(node)[0];
      return inner ? constantValue(inner, expr) : null;
    }
    case 'UnaryExpr': {
      const inner = expressionChildren(node)[0];
      const value = inner ? constantValue(inner, expr) : null;
      if (value === null) return null;
      const sign = node.getChild('UnaryOp');
      return sign && expr.slice(sign.from, sign.to) === '-' ? -value : value;
    }
    case 'BinaryExpr': {
      const [left, right] = expressionChildren(node);
      const a = left ? constantValue(left, expr) : null;
      const b = right ? constantValue(right, expr) : null;
      if (a === null || b === null) return null;
      return arithmetic(node, a, b);
    }
    default:
      return null;
  }
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Mod: (a, b) => a % b,
  Pow: (a, b) => a ** b,
};

function arithmetic(binary: PromqlNode, a: number, b: number): number | null {
  for (let child = binary.firstChild; child; child = child.nextSibling) {
    const apply = ARITHMETIC[child.name];
    if (apply) return apply(a, b);
  }
  return null; // a comparison or set operator between constants is no threshold
}

/** Prometheus' number literals: decimal, hex, Inf/NaN, and durations read as seconds (`5m` = 300). */
export function numberLiteralValue(literal: string): number | null {
  // The grammar folds a sign into the literal in some positions (`x < -0.05`) and not in others (`-1 > x`).
  const sign = literal.startsWith('-') ? -1 : 1;
  const magnitude = numberLiteralMagnitude(literal.replace(/^[+-]/, ''));
  return magnitude === null ? null : sign * magnitude;
}

function numberLiteralMagnitude(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === 'inf') return Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(lower)) return Number.parseInt(lower.slice(2), 16);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return Number(lower);
  return parsePrometheusDuration(text);
}
