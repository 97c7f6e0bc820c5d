import { firstSyntaxError, parsePromql, type PromqlTree } from '../runbooks/promql-syntax.js';

export type PromqlNode = PromqlTree['topNode'];

export interface ExpressionProblem {
  code: 'promql-syntax' | 'promql-type';
  /** Prefixed with the `line:column` inside the expression, as promtool prints it. */
  message: string;
  /** Offset of the offending character in the expression. */
  offset: number;
}

/**
 * Functions whose argument at the given index must be a range vector. lezer-promql
 * checks syntax only, so `rate(x)` parses clean, yet Prometheus refuses to load
 * the rule. It is the type mistake people actually make, and catching it needs
 * no knowledge of the data.
 */
const RANGE_VECTOR_ARGUMENT: ReadonlyMap<string, number> = new Map([
  ...[
    'Rate',
    'Irate',
    'Increase',
    'Delta',
    'Idelta',
    'Deriv',
    'Changes',
    'Resets',
    'PredictLinear',
    'DoubleExponentialSmoothing',
    'AbsentOverTime',
    'AvgOverTime',
    'CountOverTime',
    'FirstOverTime',
    'LastOverTime',
    'MadOverTime',
    'MaxOverTime',
    'MinOverTime',
    'PresentOverTime',
    'StddevOverTime',
    'StdvarOverTime',
    'SumOverTime',
    'TsOfFirstOverTime',
    'TsOfLastOverTime',
    'TsOfMaxOverTime',
    'TsOfMinOverTime',
  ].map((fn) => [fn, 0] as const),
  ['QuantileOverTime', 1],
]);

/** Wrappers whose type is the type of the expression they wrap. */
const TRANSPARENT = new Set(['ParenExpr', 'OffsetExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr']);

/** The first syntax error of a rule expression, or else every range-vector argument mistake. */
export function checkExpression(expr: string, tree: PromqlTree = parsePromql(expr)): ExpressionProblem[] {
  const syntax = firstSyntaxError(expr, tree);
  if (syntax)
    return [
      { code: 'promql-syntax', offset: syntax.offset, message: `${position(expr, syntax.offset)}: ${syntax.message}` },
    ];

  const problems: ExpressionProblem[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'FunctionCall') return;
      const fn = ref.node.getChild('FunctionIdentifier')?.firstChild;
      const index = fn ? RANGE_VECTOR_ARGUMENT.get(fn.name) : undefined;
      const argument =
        index === undefined ? undefined : expressionChildren(ref.node.getChild('FunctionCallBody'))[index];
      if (!fn || index === undefined || !argument || isRangeVector(argument)) return;
      problems.push({
        code: 'promql-type',
        offset: argument.from,
        message:
          `${position(expr, argument.from)}: ${expr.slice(fn.from, fn.to)}() needs a range vector ` +
          `such as metric[5m] as argument ${index + 1}, got "${expr.slice(argument.from, argument.to)}"`,
      });
    },
  });
  return problems;
}

/** The sub-expressions directly under a node (modifiers, names and comments skipped). */
export function expressionChildren(node: PromqlNode | null): PromqlNode[] {
  const children: PromqlNode[] = [];
  for (let child = node?.firstChild; child; child = child.nextSibling) {
    if (child.type.is('Expr')) children.push(child);
  }
  return children;
}

function isRangeVector(node: PromqlNode): boolean {
  if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') return true;
  const inner = TRANSPARENT.has(node.name) ? expressionChildren(node)[0] : undefined;
  return inner ? isRangeVector(inner) : false;
}

function position(expr: string, offset: number): string {
  const lines = expr.slice(0, offset).split('\n');
  return `${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}`;
}
