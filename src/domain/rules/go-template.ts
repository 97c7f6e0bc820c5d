/**
 * Checks the Go text/template in an alerting rule's label or annotation as
 * Prometheus parses it (promtool's testTemplateParsing): balanced `{{ }}`,
 * `if`/`range`/`with`/`end` nesting, pipelines, functions of Prometheus'
 * template set, variables it declares (`$labels`, `$value`, …). Beyond the
 * parser, it finds fields of the alert data that do not exist (`.Lables`
 * fails every time the alert fires) and lists the labels the template reads,
 * for the caller to compare with the labels the rule can carry.
 */

export interface TemplateProblem {
  /** Offset in the template text. */
  offset: number;
  message: string;
}

export interface LabelRead {
  name: string;
  offset: number;
}

export interface TemplateAnalysis {
  /** The first syntax error (Prometheus refuses the rule): like Go's parser, this one stops there. */
  problem: TemplateProblem | null;
  /** Fields the alert data lacks (`.labels`): the rule loads, but the template fails whenever it runs. */
  unknownFields: TemplateProblem[];
  labelReads: LabelRead[];
}

// text/template's builtins, then Prometheus' template/template.go (NewTemplateExpander's FuncMap).
const GO_FUNCTIONS = [
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
];
const PROMETHEUS_FUNCTIONS = [
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'stripPort',
  'stripDomain',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'toTime',
  'toDuration',
  'now',
  'pathPrefix',
  'externalURL',
  'parseDuration',
];
export const TEMPLATE_FUNCTIONS: ReadonlySet<string> = new Set([...GO_FUNCTIONS, ...PROMETHEUS_FUNCTIONS]);

/** Prometheus prefixes every alert template with these declarations (rules/alerting.go). */
const PREDECLARED = ['$', '$labels', '$externalLabels', '$externalURL', '$value'];
/** The fields of the data an alert template runs on (template.AlertTemplateData). */
const ALERT_DATA_FIELDS = new Set(['Labels', 'ExternalLabels', 'ExternalURL', 'Value']);

type ItemKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'variable'
  | 'field'
  | 'dot'
  | 'string'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'leftParen'
  | 'rightParen'
  | 'eof';

interface Item {
  kind: ItemKind;
  text: string;
  offset: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Go's lexer (text/template/parse/lex.go), reduced to what a check needs. */
function lex(text: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    items.push({ kind: 'leftDelim', text: '{{', offset: open });
    pos = open + 2;
    if (/^-[ \t\r\n]/.test(text.slice(pos, pos + 2))) pos += 2;
    if (text.startsWith('/*', pos)) {
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) throw new TemplateSyntaxError('unclosed comment', open);
      const after = close + 2;
      const end = text.slice(after).match(/^( -)?}}/);
      if (!end) throw new TemplateSyntaxError('comment ends before closing delimiter', after);
      items.pop();
      pos = after + end[0].length;
      continue;
    }
    pos = lexAction(text, pos, items, open);
  }
  items.push({ kind: 'eof', text: '', offset: text.length });
  return items;
}

function lexAction(text: string, start: number, items: Item[], open: number): number {
  let pos = start;
  let parenDepth = 0;
  const push = (kind: ItemKind, from: number, to: number) =>
    items.push({ kind, text: text.slice(from, to), offset: from });
  for (;;) {
    if (pos >= text.length) throw new TemplateSyntaxError('unclosed action', open);
    const rest = text.slice(pos);
    const trimClose = /^[ \t\r\n]-}}/.test(rest);
    if (rest.startsWith('}}') || trimClose) {
      if (parenDepth > 0) throw new TemplateSyntaxError('unclosed left paren', pos);
      const length = trimClose ? 4 : 2;
      push('rightDelim', pos, pos + length);
      return pos + length;
    }
    const c = text[pos]!;
    if (/[ \t\r\n]/.test(c)) {
      const end = pos + (rest.match(/^[ \t\r\n]+/)?.[0].length ?? 1);
      // The last space before "-}}" belongs to the trim marker (matched above on the next turn).
      const spaceEnd = text.startsWith('-}}', end) ? end - 1 : end;
      push('space', pos, spaceEnd);
      pos = spaceEnd;
      continue;
    }
    if (c === '=') {
      push('assign', pos, ++pos);
    } else if (c === ':') {
      if (text[pos + 1] !== '=') throw new TemplateSyntaxError('expected :=', pos);
      push('declare', pos, pos + 2);
      pos += 2;
    } else if (c === '|') {
      push('pipe', pos, ++pos);
    } else if (c === ',') {
      push('comma', pos, ++pos);
    } else if (c === '(') {
      parenDepth++;
      push('leftParen', pos, ++pos);
    } else if (c === ')') {
      if (--parenDepth < 0) throw new TemplateSyntaxError('unexpected right paren', pos);
      push('rightParen', pos, ++pos);
    } else if (c === '"' || c === "'") {
      const end = quotedEnd(text, pos, c);
      if (end < 0)
        throw new TemplateSyntaxError(
          c === '"' ? 'unterminated quoted string' : 'unterminated character constant',
          pos,
        );
      push(c === '"' ? 'string' : 'char', pos, end);
      pos = end;
    } else if (c === '`') {
      const end = text.indexOf('`', pos + 1);
      if (end < 0) throw new TemplateSyntaxError('unterminated raw quoted string', pos);
      push('string', pos, end + 1);
      pos = end + 1;
    } else if (c === '$') {
      const end = pos + 1 + (text.slice(pos + 1).match(/^\w*/)?.[0].length ?? 0);
      push('variable', pos, end);
      pos = checkTerminator(text, end);
    } else if (c === '.' && /[0-9]/.test(text[pos + 1] ?? '')) {
      pos = lexNumber(text, pos, items);
    } else if (c === '.') {
      const end = pos + 1 + (text.slice(pos + 1).match(/^\w*/)?.[0].length ?? 0);
      push(end === pos + 1 ? 'dot' : 'field', pos, end);
      pos = end === pos + 1 ? end : checkTerminator(text, end);
    } else if (/[0-9+-]/.test(c)) {
      pos = lexNumber(text, pos, items);
    } else if (/\w/.test(c)) {
      const end = pos + (rest.match(/^\w+/)?.[0].length ?? 1);
      const word = text.slice(pos, end);
      push(
        KEYWORDS.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'identifier',
        pos,
        end,
      );
      pos = checkTerminator(text, end);
    } else {
      throw new TemplateSyntaxError(`unrecognized character in action: "${c}"`, pos);
    }
  }
}

function quotedEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '\n') return -1;
    else if (c === quote) return i + 1;
  }
  return -1;
}

/** After a word, only these may follow (lex.go's atTerminator); `.` continues a field chain. */
function checkTerminator(text: string, end: number): number {
  const next = text[end];
  if (next === undefined || /[ \t\r\n.,|:)(]/.test(next) || text.startsWith('}}', end)) return end;
  throw new TemplateSyntaxError(`bad character "${next}"`, end);
}

function lexNumber(text: string, start: number, items: Item[]): number {
  const match = text
    .slice(start)
    .match(
      /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?)i?/,
    );
  const end = start + (match?.[0].length ?? 0);
  const literal = text.slice(start, end);
  if (!/[0-9]/.test(literal) || /[\w.]/.test(text[end] ?? '')) {
    const wordEnd = end + (text.slice(end).match(/^[\w.]*/)?.[0].length ?? 0);
    throw new TemplateSyntaxError(`bad number syntax: "${text.slice(start, Math.max(wordEnd, start + 1))}"`, start);
  }
  items.push({ kind: 'number', text: literal, offset: start });
  return end;
}

/** Go's parser (text/template/parse/parse.go): structure, pipelines, functions and variables. */
class TemplateParser {
  private index = 0;
  private readonly scopes: string[][] = [[...PREDECLARED]];
  /** Inside `range`/`with` the dot is no longer the alert data. */
  private dotIsData = [true];
  private rangeDepth = 0;
  readonly labelReads: LabelRead[] = [];
  readonly unknownFields: TemplateProblem[] = [];

  constructor(private readonly items: Item[]) {}

  parse(): void {
    const end = this.list(null);
    if (end) throw new TemplateSyntaxError(`unexpected {{${end.text}}}`, end.offset);
  }

  /** Items until `{{end}}`/`{{else}}` (returned) or the end of the text (null; an error inside `opener`). */
  private list(opener: Item | null): Item | null {
    for (;;) {
      const item = this.next();
      if (item.kind === 'eof') {
        // Go says "unexpected EOF" at the end; the action left open is where to look.
        if (opener) throw new TemplateSyntaxError(`unexpected EOF: {{${opener.text}}} has no {{end}}`, opener.offset);
        return null;
      }
      if (item.kind !== 'leftDelim') continue;
      const keyword = this.peekNonSpace();
      if (keyword.kind === 'keyword' && (keyword.text === 'end' || keyword.text === 'else')) {
        this.nextNonSpace();
        if (keyword.text === 'end') this.expectRightDelim('end');
        return keyword;
      }
      this.action();
    }
  }

  private action(): void {
    const item = this.peekNonSpace();
    if (item.kind === 'keyword') {
      this.nextNonSpace();
      switch (item.text) {
        case 'if':
        case 'with':
        case 'range':
          this.control(item, item.text === 'range');
          return;
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) throw new TemplateSyntaxError(`{{${item.text}}} outside {{range}}`, item.offset);
          this.expectRightDelim(item.text);
          return;
        case 'template':
        case 'block':
        case 'define':
          this.templateCall(item);
          return;
      }
    }
    this.pipeline('command', false);
  }

  private control(keyword: Item, isRange: boolean): void {
    this.scopes.push([]);
    this.pipeline(keyword.text, true);
    if (keyword.text !== 'if') this.dotIsData.push(false);
    if (isRange) this.rangeDepth++;
    let end = this.list(keyword);
    if (isRange) this.rangeDepth--;
    if (keyword.text !== 'if') this.dotIsData.pop();
    while (end?.text === 'else') {
      // `{{else if …}}` / `{{else with …}}` chain into another branch; plain `{{else}}` closes the pipeline.
      const chained = this.peekNonSpace();
      if (chained.kind === 'keyword' && (chained.text === 'if' || chained.text === 'with')) {
        this.nextNonSpace();
        this.pipeline(chained.text, true);
      } else {
        this.expectRightDelim('else');
      }
      end = this.list(keyword);
    }
    this.scopes.pop();
  }

  private templateCall(keyword: Item): void {
    const name = this.nextNonSpace();
    if (name.kind !== 'string')
      throw new TemplateSyntaxError(`unexpected "${name.text}" in ${keyword.text} clause`, name.offset);
    if (this.peekNonSpace().kind === 'rightDelim') {
      this.nextNonSpace();
    } else {
      this.pipeline(keyword.text, false);
    }
    if (keyword.text === 'block' || keyword.text === 'define') {
      const end = this.list(keyword);
      if (end?.text !== 'end')
        throw new TemplateSyntaxError(`unexpected {{else}} in ${keyword.text}`, end?.offset ?? 0);
    }
  }

  /** `[decl :=] command | command …` up to `}}` (or `)` when nested). */
  private pipeline(context: string, allowDeclaration: boolean, nested = false): void {
    const start = this.peekNonSpace();
    const declared = this.declaration(allowDeclaration || context === 'command');
    let commands = 0;
    for (;;) {
      const item = this.peekNonSpace();
      const closes = nested ? item.kind === 'rightParen' : item.kind === 'rightDelim';
      if (closes) {
        this.nextNonSpace();
        if (commands === 0) throw new TemplateSyntaxError(`missing value for ${context}`, item.offset);
        for (const name of declared) this.scopes.at(-1)!.push(name);
        return;
      }
      if (item.kind === 'eof') throw new TemplateSyntaxError('unclosed action', start.offset);
      if (commands > 0) {
        if (item.kind !== 'pipe') throw new TemplateSyntaxError(`unexpected "${item.text}" in ${context}`, item.offset);
        this.nextNonSpace();
      }
      this.command(commands);
      commands++;
    }
  }

  /** `$x :=`, `$x =` or (range) `$i, $e :=`: the names it declares. */
  private declaration(allowed: boolean): string[] {
    const saved = this.index;
    const first = this.nextNonSpace();
    if (!allowed || first.kind !== 'variable') {
      this.index = saved;
      return [];
    }
    const names = [first];
    let operator = this.nextNonSpace();
    if (operator.kind === 'comma') {
      const second = this.nextNonSpace();
      if (second.kind !== 'variable')
        throw new TemplateSyntaxError('range can only initialize variables', second.offset);
      names.push(second);
      operator = this.nextNonSpace();
    }
    if (operator.kind === 'declare') return names.map(({ text }) => text);
    if (operator.kind === 'assign' && names.length === 1) {
      this.variable(first);
      return [];
    }
    this.index = saved;
    return [];
  }

  private command(stage: number): void {
    let operands = 0;
    for (;;) {
      const item = this.peek();
      if (item.kind === 'space') {
        this.next();
        continue;
      }
      if (item.kind === 'pipe' || item.kind === 'rightDelim' || item.kind === 'rightParen') {
        if (operands === 0) throw new TemplateSyntaxError('empty command', item.offset);
        return;
      }
      const first = this.operand();
      if (operands === 0 && stage > 0 && !first.executable) {
        throw new TemplateSyntaxError(`non executable command in pipeline stage ${stage + 1}`, item.offset);
      }
      if (operands === 0 && first.isNil) throw new TemplateSyntaxError('nil is not a command', item.offset);
      operands++;
    }
  }

  /** One term with its field chain (`$labels.job`, `(…).Field`). */
  private operand(): { executable: boolean; isNil: boolean } {
    const item = this.next();
    let executable = false;
    switch (item.kind) {
      case 'identifier':
        if (!TEMPLATE_FUNCTIONS.has(item.text))
          throw new TemplateSyntaxError(`function "${item.text}" not defined`, item.offset);
        executable = true;
        break;
      case 'variable':
        this.variable(item);
        break;
      case 'field':
        executable = true;
        this.dataField(item, item.text.slice(1));
        break;
      case 'leftParen':
        this.pipeline('parenthesized pipeline', false, true);
        break;
      case 'dot':
      case 'string':
      case 'char':
      case 'number':
      case 'bool':
        break;
      case 'nil':
        return { executable: false, isNil: true };
      default:
        throw new TemplateSyntaxError(`unexpected "${item.text}" in operand`, item.offset);
    }
    let chain: Item[] = [];
    while (this.peek().kind === 'field') chain.push(this.next());
    if (item.kind === 'variable' && (item.text === '$labels' || (item.text === '$' && chain[0]?.text === '.Labels'))) {
      if (item.text === '$') chain = chain.slice(1);
      const label = chain[0];
      if (label) this.labelReads.push({ name: label.text.slice(1), offset: label.offset });
    }
    if (item.kind === 'variable' && item.text === '$' && chain[0])
      this.dataField(chain[0], chain[0].text.slice(1), true);
    return { executable: executable || chain.length > 0, isNil: false };
  }

  /** `.Labels`, `.Value`…: only fields the alert data has, read while the dot is that data. */
  private dataField(field: Item, name: string, root = false): void {
    if (!root && !this.dotIsData.at(-1)) return;
    if (!ALERT_DATA_FIELDS.has(name)) {
      this.unknownFields.push({
        offset: field.offset,
        message: `can't evaluate field ${name}: an alert's template data has only ${[...ALERT_DATA_FIELDS].map((f) => `.${f}`).join(', ')}`,
      });
    }
    if (name === 'Labels' && !root) {
      const label = this.peek();
      if (label.kind === 'field') this.labelReads.push({ name: label.text.slice(1), offset: label.offset });
    }
  }

  private variable(item: Item): void {
    if (!this.scopes.some((scope) => scope.includes(item.text)))
      throw new TemplateSyntaxError(`undefined variable "${item.text}"`, item.offset);
  }

  private expectRightDelim(context: string): void {
    const item = this.nextNonSpace();
    if (item.kind !== 'rightDelim')
      throw new TemplateSyntaxError(`unexpected "${item.text}" in ${context}`, item.offset);
  }

  private peek(): Item {
    return this.items[this.index]!;
  }

  private next(): Item {
    const item = this.items[this.index]!;
    if (item.kind !== 'eof') this.index++;
    return item;
  }

  private peekNonSpace(): Item {
    let i = this.index;
    while (this.items[i]!.kind === 'space') i++;
    return this.items[i]!;
  }

  private nextNonSpace(): Item {
    while (this.peek().kind === 'space') this.index++;
    return this.next();
  }
}

export function analyzeGoTemplate(text: string): TemplateAnalysis {
  if (!text.includes('{{')) return { problem: null, unknownFields: [], labelReads: [] };
  let parser: TemplateParser | null = null;
  try {
    parser = new TemplateParser(lex(text));
    parser.parse();
    return { problem: null, unknownFields: parser.unknownFields, labelReads: parser.labelReads };
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return {
      problem: { offset: error.offset, message: error.message },
      unknownFields: parser?.unknownFields ?? [],
      labelReads: parser?.labelReads ?? [],
    };
  }
}
