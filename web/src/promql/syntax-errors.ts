import { parser } from '@prometheus-io/lezer-promql';

export interface SyntaxProblem {
  /** Offsets in the query. */
  from: number;
  to: number;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

/**
 * The first syntax error in a PromQL query, found with Prometheus' own lezer
 * grammar as the person types (later ones are mostly echoes of the first, as
 * the parser recovers). Syntax only: type errors such as rate() of an instant
 * vector are Prometheus' to report when the query runs.
 */
export function firstSyntaxError(query: string): SyntaxProblem | null {
  if (!query.trim()) return null;
  let problem: SyntaxProblem | null = null;
  parser.parse(query).iterate({
    enter(node) {
      if (problem) return false;
      if (!node.type.isError) return undefined;
      problem = describe(query, node.from, node.to);
      return false;
    },
  });
  return problem;
}

function describe(query: string, from: number, to: number): SyntaxProblem {
  const before = query.slice(0, from);
  const line = before.split('\n').length;
  const column = from - (before.lastIndexOf('\n') + 1) + 1;
  const found = query
    .slice(from, Math.max(to, from + 1))
    .split('\n')[0]!
    .slice(0, 20);
  const message = found.trim()
    ? `unexpected "${found}"`
    : 'unexpected end of query: an unclosed bracket, or a missing operand?';
  return { from, to, line, column, message };
}
