import { parsePromql, type PromqlTree } from '../runbooks/promql-syntax.js';
import { expressionChildren, type PromqlNode } from './check-expression.js';
import { promqlStringValue } from './promql-string-value.js';

type LabelSet = ReadonlySet<string>;

/**
 * Labels every scrape target carries; a bare selector can carry any label, so
 * its matchers plus these are a floor, not a ceiling (see `outputLabelNames`).
 */
const TARGET_LABELS = ['job', 'instance'];
/** Aggregations that return input series unchanged, whatever their `by`/`without`. */
const SELECTING_AGGREGATIONS = new Set(['Topk', 'Bottomk', 'LimitK', 'LimitRatio']);
const LABEL_WRITING_FUNCTIONS = new Set(['LabelReplace', 'LabelJoin']);

/**
 * An approximation of the label names the series of an alert expression carry:
 * `by (…)` keeps exactly those, `without (…)` removes them, vector matching
 * follows Prometheus' `resultMetric`, and a selector is known by its matchers
 * plus the target labels. Returns null when the expression does not say
 * (syntax errors, `info()`, escaped label names): callers must not warn then.
 */
export function outputLabelNames(expr: string, tree: PromqlTree = parsePromql(expr)): LabelSet | null {
  return labelNames(expr, tree, 'floor');
}

/**
 * The label names the expression's series carry for certain, or null: like
 * outputLabelNames, but a selector counts as unknown (its series may carry
 * any label), so only aggregations (`by`, `on`) make the set known.
 */
export function exactOutputLabelNames(expr: string, tree: PromqlTree = parsePromql(expr)): LabelSet | null {
  return labelNames(expr, tree, 'unknown');
}

/** What a bare selector contributes: its matchers and the target labels (a floor), or unknown. */
type SelectorLabels = 'floor' | 'unknown';

function labelNames(expr: string, tree: PromqlTree, selectors: SelectorLabels): LabelSet | null {
  let broken = false;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) broken = true;
      return !broken;
    },
  });
  const root = expressionChildren(tree.topNode)[0];
  return broken || !root ? null : labelsOf(root, expr, selectors);
}

function labelsOf(node: PromqlNode, expr: string, selectors: SelectorLabels): LabelSet | null {
  const children = expressionChildren(node);
  switch (node.name) {
    case 'VectorSelector':
      return selectors === 'floor' ? selectorLabels(node, expr) : null;
    case 'NumberDurationLiteral':
    case 'StringLiteral':
      return new Set();
    case 'AggregateExpr':
      return aggregationLabels(node, expr, selectors);
    case 'FunctionCall':
      return functionLabels(node, expr, selectors);
    case 'BinaryExpr':
      return binaryLabels(node, expr, selectors);
    default: {
      // Parentheses, offsets, `@`, unary minus, ranges and subqueries keep their operand's labels.
      const inner = children[0];
      return inner ? labelsOf(inner, expr, selectors) : null;
    }
  }
}

function selectorLabels(selector: PromqlNode, expr: string): LabelSet | null {
  const names = new Set(TARGET_LABELS);
  const matchers = selector.getChild('LabelMatchers');
  for (let matcher = matchers?.firstChild; matcher; matcher = matcher.nextSibling) {
    // A bare QuotedLabelName in braces is the metric name (`{"utf8.metric"}`), not a label.
    if (matcher.name !== 'UnquotedLabelMatcher' && matcher.name !== 'QuotedLabelMatcher') continue;
    const name = labelName(matcher.firstChild, expr);
    if (name === null) return null;
    if (name !== '__name__') names.add(name);
  }
  return names;
}

function aggregationLabels(aggregation: PromqlNode, expr: string, selectors: SelectorLabels): LabelSet | null {
  const operator = aggregation.getChild('AggregateOp')?.firstChild?.name;
  const operands = expressionChildren(aggregation.getChild('FunctionCallBody'));
  const input = operands.at(-1);
  const inputLabels = input ? labelsOf(input, expr, selectors) : null;
  if (operator && SELECTING_AGGREGATIONS.has(operator)) return inputLabels;

  const modifier = aggregation.getChild('AggregateModifier');
  const grouping = groupingLabels(modifier?.getChild('GroupingLabels') ?? null, expr);
  if (grouping === null) return null;
  // count_values("label", v) writes each distinct value into a new label.
  const written = operator === 'CountValues' ? stringArgument(operands[0], expr) : undefined;
  if (written === null) return null;
  const extra = written === undefined ? [] : [written];

  if (modifier?.getChild('Without')) {
    if (inputLabels === null) return null;
    return new Set([...inputLabels, ...extra].filter((name) => !grouping.has(name)));
  }
  return new Set([...grouping, ...extra]);
}

function functionLabels(call: PromqlNode, expr: string, selectors: SelectorLabels): LabelSet | null {
  const fn = call.getChild('FunctionIdentifier')?.firstChild?.name;
  // info() joins labels from info metrics chosen at query time.
  if (fn === 'Info') return null;
  const operands = expressionChildren(call.getChild('FunctionCallBody'));
  const labels = new Set<string>();
  // Result series keep the labels of their vector operands; scalar and string operands add none.
  for (const operand of operands) {
    const operandLabels = labelsOf(operand, expr, selectors);
    if (operandLabels === null) return null;
    for (const name of operandLabels) labels.add(name);
  }
  if (fn && LABEL_WRITING_FUNCTIONS.has(fn)) {
    const destination = stringArgument(operands[1], expr);
    if (!destination) return null;
    labels.add(destination);
  }
  return labels;
}

function binaryLabels(binary: PromqlNode, expr: string, selectors: SelectorLabels): LabelSet | null {
  const [left, right] = expressionChildren(binary);
  const leftLabels = left ? labelsOf(left, expr, selectors) : null;
  const rightLabels = right ? labelsOf(right, expr, selectors) : null;
  if (leftLabels === null || rightLabels === null) return null;

  const operator = binary.getChild('And') ?? binary.getChild('Unless') ?? binary.getChild('Or');
  if (operator?.name === 'Or') return new Set([...leftLabels, ...rightLabels]);
  if (operator) return leftLabels;

  const matching = binary.getChild('MatchingModifierClause');
  if (!matching) return new Set([...leftLabels, ...rightLabels]); // vector⊕scalar, or identical sets
  const [matchingList, includeList] = matching.getChildren('GroupingLabels');
  const matchingLabels = groupingLabels(matchingList ?? null, expr);
  const included = groupingLabels(includeList ?? null, expr);
  if (matchingLabels === null || included === null) return null;

  if (matching.getChild('GroupLeft')) return new Set([...leftLabels, ...included]);
  if (matching.getChild('GroupRight')) return new Set([...rightLabels, ...included]);
  // One-to-one `on (…)` keeps exactly the matching labels (they are on both sides by definition).
  if (matching.getChild('On')) return matchingLabels;
  return new Set([...leftLabels].filter((name) => !matchingLabels.has(name)));
}

function groupingLabels(list: PromqlNode | null, expr: string): LabelSet | null {
  const names = new Set<string>();
  for (let item = list?.firstChild; item; item = item.nextSibling) {
    const name = labelName(item, expr);
    if (name === null) return null;
    names.add(name);
  }
  return names;
}

function labelName(node: PromqlNode | null, expr: string): string | null {
  if (!node) return null;
  const text = expr.slice(node.from, node.to);
  return node.name === 'QuotedLabelName' ? promqlStringValue(text) : text;
}

/** The value of a string-literal operand; undefined when there is no operand, null when it is not a plain literal. */
function stringArgument(node: PromqlNode | undefined, expr: string): string | null | undefined {
  if (!node) return undefined;
  return node.name === 'StringLiteral' ? promqlStringValue(expr.slice(node.from, node.to)) : null;
}
