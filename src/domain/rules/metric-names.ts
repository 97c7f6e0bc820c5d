import { parsePromql } from '../runbooks/promql-syntax.js';

/** The metric names an expression's selectors read (`rate(x_total[5m]) / y` → x_total, y). */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  parsePromql(expr).iterate({
    enter(ref) {
      if (ref.name === 'Identifier' && ref.node.parent?.name === 'VectorSelector')
        names.push(expr.slice(ref.from, ref.to));
    },
  });
  return names;
}
