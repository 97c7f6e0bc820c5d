export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'api' | 'plain';

export interface CodeToken {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set(
  (
    'as async await break case catch class const continue default delete do else export extends false finally for ' +
    'from function if import in instanceof interface let new null of return switch this throw true try type typeof ' +
    'undefined var void while yield'
  ).split(' '),
);
// The cell API's globals (cell-api.d.ts): what a reader of a runbook looks for first.
const CELL_API = new Set(['alert', 'incident', 'query', 'queryRange', 'show', 'console', 'Deno']);

// One alternative per token kind; template literals are taken whole (their `${…}` is not highlighted inside).
const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_$][\w$]*)/g;

/**
 * A small TypeScript tokenizer for showing script cells: comments, strings, numbers, keywords and
 * the cell API's names. Display only: any text comes back, joined, exactly as given.
 */
export function highlightTs(code: string): CodeToken[] {
  const tokens: CodeToken[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = tokens.at(-1);
    if (last?.kind === kind) last.text += text;
    else tokens.push({ kind, text });
  };
  let at = 0;
  for (const match of code.matchAll(TOKEN)) {
    if (match.index > at) push('plain', code.slice(at, match.index));
    const [text, comment, string, number, word] = match;
    if (comment) push('comment', text);
    else if (string) push('string', text);
    else if (number) push('number', text);
    else push(KEYWORDS.has(word!) ? 'keyword' : CELL_API.has(word!) ? 'api' : 'plain', text);
    at = match.index + text.length;
  }
  if (at < code.length) push('plain', code.slice(at));
  return tokens;
}
