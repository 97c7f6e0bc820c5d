/**
 * What the PromQL grammar (lezer-promql, generated from Prometheus' own grammar) says
 * about a query. Syntax only: type errors such as `rate(up)` pass here and are
 * reported by Prometheus when the cell runs.
 */
import { parser } from '@prometheus-io/lezer-promql';

// @lezer/common (where these types live) is only a transitive dependency: name them through the parser.
export type PromqlTree = ReturnType<typeof parser.parse>;
type SyntaxNode = PromqlTree['topNode'];

export interface PromqlSyntaxError {
  offset: number;
  length: number;
  message: string;
}

/** How a string literal's value is read by Prometheus, which decides how to escape into it. */
export type LiteralContext = 'plain' | 'regex' | 'replacement';

export interface StringLiteral {
  from: number;
  to: number;
  context: LiteralContext;
}

export function parsePromql(query: string): PromqlTree {
  return parser.parse(query);
}

/** The first syntax error, or null. lezer recovers and may flag later spots that are only follow-on noise. */
export function firstSyntaxError(query: string, tree: PromqlTree): PromqlSyntaxError | null {
  let found: PromqlSyntaxError | null = null;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.type.isError) found = describeErrorAt(query, node.from, node.to);
      else if (node.name === 'StringLiteral' && !isTerminated(query.slice(node.from, node.to))) {
        found = { offset: node.from, length: node.to - node.from, message: 'unterminated string literal' };
      }
      return undefined;
    },
  });
  return found;
}

function describeErrorAt(query: string, from: number, to: number): PromqlSyntaxError {
  if (to > from) return { offset: from, length: to - from, message: `unexpected "${excerpt(query.slice(from, to))}"` };
  // A zero-width error sits where something was expected; point at the character that came instead.
  const offending = query.slice(from).search(/\S/);
  if (offending === -1) return { offset: query.length, length: 0, message: 'unexpected end of query' };
  const token = /^\S+/.exec(query.slice(from + offending))?.[0] ?? '';
  return { offset: from + offending, length: token.length, message: `unexpected "${excerpt(token)}"` };
}

function excerpt(text: string): string {
  const firstLine = text.split('\n')[0] ?? '';
  return firstLine.length > 20 ? `${firstLine.slice(0, 20)}…` : firstLine;
}

// lezer's token accepts a missing closing quote (raw strings excepted); Prometheus does not.
const TERMINATED: Record<string, RegExp> = {
  '"': /^"(?:[^\\\n"]|\\.)*"$/,
  "'": /^'(?:[^\\\n']|\\.)*'$/,
  '`': /^`[^`]*`$/,
};

function isTerminated(literal: string): boolean {
  return TERMINATED[literal[0] ?? '']?.test(literal) ?? false;
}

export function stringLiterals(tree: PromqlTree): StringLiteral[] {
  const literals: StringLiteral[] = [];
  tree.iterate({
    enter(node) {
      if (node.name === 'StringLiteral') literals.push({ from: node.from, to: node.to, context: contextOf(node.node) });
    },
  });
  return literals;
}

const REGEX_MATCH_OPS = new Set(['EqlRegex', 'NeqRegex']);
// label_replace(v, dst_label, replacement, src_label, regex)
const LABEL_REPLACE_ARGUMENT_CONTEXT: Partial<Record<number, LiteralContext>> = { 2: 'replacement', 4: 'regex' };

function contextOf(literal: SyntaxNode): LiteralContext {
  const parent = literal.parent;
  if (parent?.name === 'UnquotedLabelMatcher' || parent?.name === 'QuotedLabelMatcher') {
    const op = parent.getChild('MatchOp')?.firstChild?.name ?? '';
    return REGEX_MATCH_OPS.has(op) ? 'regex' : 'plain';
  }
  if (
    parent?.name === 'FunctionCallBody' &&
    parent.parent?.getChild('FunctionIdentifier')?.firstChild?.name === 'LabelReplace'
  ) {
    return LABEL_REPLACE_ARGUMENT_CONTEXT[argumentsOf(parent).indexOf(literal.from)] ?? 'plain';
  }
  return 'plain';
}

/** Start offsets of a call's arguments, comments skipped. */
function argumentsOf(body: SyntaxNode): number[] {
  const starts: number[] = [];
  for (let child = body.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'LineComment' && !child.type.isError) starts.push(child.from);
  }
  return starts;
}

/**
 * The tree's node types with their depths: two queries with the same shape differ
 * only inside tokens (string contents, numbers, names), never in structure.
 */
export function treeShape(tree: PromqlTree): string[] {
  const shape: string[] = [];
  let depth = 0;
  tree.iterate({
    enter(node) {
      shape.push(`${depth}:${node.name}`);
      depth++;
    },
    leave() {
      depth--;
    },
  });
  return shape;
}
