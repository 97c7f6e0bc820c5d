/**
 * PromQL cells are templates: `{{ $labels.job }}` and friends are filled from the
 * incident's alert. Substitution is only allowed inside string literals, and each
 * value is escaped for the literal that holds it, so no label value can change what
 * the query means: the rendered query always parses to the same tree as the template.
 */
import { findPlaceholders, type TemplatePlaceholder } from './placeholders.js';
import { escapeReplacementDollars, escapeStringContent, quoteRegexMeta } from './promql-string.js';
import {
  firstSyntaxError,
  parsePromql,
  stringLiterals,
  treeShape,
  type LiteralContext,
  type StringLiteral,
} from './promql-syntax.js';

export interface TemplateVars {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  externalURL: string;
}

export type TemplateProblemCode = 'promql-syntax' | 'placeholder-outside-string' | 'unknown-placeholder';

export interface TemplateProblem {
  /** Offset and length in the template. */
  offset: number;
  length: number;
  code: TemplateProblemCode;
  message: string;
}

export class TemplateError extends Error {
  constructor(
    /**
     * A TemplateProblemCode; `missing-value` when the alert lacks a label or annotation the
     * query uses; `meaning-changed` if escaping ever failed to keep the query's structure.
     */
    readonly code: TemplateProblemCode | 'missing-value' | 'meaning-changed',
    message: string,
    /** Offset in the template. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

interface Substitution {
  placeholder: TemplatePlaceholder;
  literal: StringLiteral;
}

interface AnalyzedTemplate {
  problems: TemplateProblem[];
  substitutions: Substitution[];
  shape: string[];
}

export function checkQueryTemplate(template: string): TemplateProblem[] {
  return analyzeTemplate(template).problems;
}

/** The query with every placeholder filled in. Throws TemplateError; check templates up front with checkQueryTemplate. */
export function renderQuery(template: string, vars: TemplateVars): string {
  const { problems, substitutions, shape } = analyzeTemplate(template);
  const [first] = problems;
  if (first) throw new TemplateError(first.code, first.message, first.offset);

  let rendered = '';
  let cursor = 0;
  for (const [literal, placeholders] of groupByLiteral(substitutions)) {
    rendered += template.slice(cursor, literal.from) + renderLiteral(template, literal, placeholders, vars);
    cursor = literal.to;
  }
  rendered += template.slice(cursor);

  // The escaping above is what keeps the meaning; this check is the proof, paid once per render.
  const renderedShape = treeShape(parsePromql(rendered));
  if (renderedShape.join() !== shape.join()) {
    throw new TemplateError('meaning-changed', 'a substituted value changed the structure of the query', 0);
  }
  return rendered;
}

function analyzeTemplate(template: string): AnalyzedTemplate {
  const { placeholders, malformed } = findPlaceholders(template);
  // Same-length filler keeps every offset valid; `x` is legal inside strings and as a name alike.
  const filled = [...placeholders, ...malformed].reduce(
    (text, { start, end }) => text.slice(0, start) + 'x'.repeat(end - start) + text.slice(end),
    template,
  );
  const tree = parsePromql(filled);
  const literals = stringLiterals(tree);

  const problems: TemplateProblem[] = malformed.map(({ start, end, message }) => ({
    offset: start,
    length: end - start,
    code: 'unknown-placeholder',
    message,
  }));
  const substitutions: Substitution[] = [];
  const misplaced: TemplatePlaceholder[] = [];
  for (const placeholder of placeholders) {
    const literal = literals.find((l) => l.from < placeholder.start && placeholder.end < l.to);
    if (literal) substitutions.push({ placeholder, literal });
    else misplaced.push(placeholder);
  }
  for (const { start, end } of misplaced) {
    problems.push({
      offset: start,
      length: end - start,
      code: 'placeholder-outside-string',
      message:
        `${template.slice(start, end)} is outside a string literal; ` +
        'values can only be substituted inside quotes, e.g. {job="{{ $labels.job }}"}',
    });
  }
  // A syntax error inside a misplaced placeholder comes from its filler; the placeholder problem says it better.
  const syntaxError = firstSyntaxError(filled, tree);
  if (syntaxError && !misplaced.some((p) => p.start <= syntaxError.offset && syntaxError.offset <= p.end)) {
    problems.push({ ...syntaxError, code: 'promql-syntax' });
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { problems, substitutions, shape: treeShape(tree) };
}

function groupByLiteral(substitutions: Substitution[]): Map<StringLiteral, TemplatePlaceholder[]> {
  const groups = new Map<StringLiteral, TemplatePlaceholder[]>();
  for (const { literal, placeholder } of substitutions) {
    groups.set(literal, [...(groups.get(literal) ?? []), placeholder]);
  }
  return groups;
}

function renderLiteral(
  template: string,
  literal: StringLiteral,
  placeholders: TemplatePlaceholder[],
  vars: TemplateVars,
): string {
  const openingQuote = template[literal.from];
  // A `raw` string has no escapes at all, so it is rewritten as a "double-quoted" one.
  const isRaw = openingQuote === '`';
  const quote = openingQuote === "'" ? "'" : '"';
  const keep = (text: string) => (isRaw ? escapeStringContent(text, quote) : text);

  let content = '';
  let cursor = literal.from + 1;
  for (const placeholder of placeholders) {
    const value = encodeForContext(placeholderValue(placeholder, vars), literal.context);
    content += keep(template.slice(cursor, placeholder.start)) + escapeStringContent(value, quote);
    cursor = placeholder.end;
  }
  content += keep(template.slice(cursor, literal.to - 1));
  return quote + content + quote;
}

function encodeForContext(value: string, context: LiteralContext): string {
  if (context === 'regex') return quoteRegexMeta(value);
  if (context === 'replacement') return escapeReplacementDollars(value);
  return value;
}

function placeholderValue(placeholder: TemplatePlaceholder, vars: TemplateVars): string {
  if (placeholder.kind === 'externalURL') return vars.externalURL;
  const source = vars[placeholder.kind];
  const name = placeholder.name ?? '';
  // hasOwn, not `in`: a label called "constructor" must not find Object.prototype.
  if (!Object.hasOwn(source, name)) {
    const what = placeholder.kind === 'labels' ? 'label' : 'annotation';
    throw new TemplateError('missing-value', `the alert has no ${what} "${name}"`, placeholder.start);
  }
  return source[name] as string;
}
