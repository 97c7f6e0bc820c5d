import { Lexer, type Token, type Tokens } from 'marked';

/**
 * The blocks a runbook is made of (headings, code fences, task items), found with
 * marked's lexer and given the line they start on. Nested content (a fence inside a
 * list item, a task inside a blockquote) is lexed by marked from a de-indented copy
 * that keeps the line structure, so lines are counted through the raw text of
 * every token that comes before.
 */
export type LocatedBlock =
  | { kind: 'heading'; token: Tokens.Heading; line: number }
  | { kind: 'code'; token: Tokens.Code; line: number }
  | { kind: 'task'; item: Tokens.ListItem; checkbox: Tokens.Checkbox; line: number };

export function lexMarkdown(markdown: string): Token[] {
  return new Lexer({ gfm: true }).lex(markdown);
}

/** Blocks in document order; `firstLine` is the file line the tokens start on. */
export function locateBlocks(tokens: readonly Token[], firstLine: number): LocatedBlock[] {
  const blocks: LocatedBlock[] = [];
  visit(tokens, firstLine, blocks);
  return blocks;
}

function visit(tokens: readonly Token[], firstLine: number, blocks: LocatedBlock[]): void {
  let line = firstLine;
  for (const token of tokens) {
    if (token.type === 'heading') blocks.push({ kind: 'heading', token: token as Tokens.Heading, line });
    else if (token.type === 'code') blocks.push({ kind: 'code', token: token as Tokens.Code, line });
    else if (token.type === 'blockquote') visit((token as Tokens.Blockquote).tokens, line, blocks);
    else if (token.type === 'list') {
      let itemLine = line;
      for (const item of (token as Tokens.List).items) {
        const checkbox = item.task ? findCheckbox(item) : undefined;
        if (checkbox) blocks.push({ kind: 'task', item, checkbox, line: itemLine });
        visit(item.tokens, itemLine, blocks);
        itemLine += countNewlines(item.raw);
      }
    }
    line += countNewlines(token.raw);
  }
}

// A tight item holds its checkbox first; a loose one inside its first paragraph.
function findCheckbox(item: Tokens.ListItem): Tokens.Checkbox | undefined {
  const [first] = item.tokens;
  const candidates = first?.type === 'paragraph' ? (first as Tokens.Paragraph).tokens : item.tokens;
  return candidates.find((token): token is Tokens.Checkbox => token.type === 'checkbox');
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
